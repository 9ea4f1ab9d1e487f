/// Namespace of the Charts module.
public enum ChartsModule {}
