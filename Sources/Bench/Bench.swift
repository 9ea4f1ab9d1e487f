/// Namespace of the Bench module.
public enum BenchModule {}
