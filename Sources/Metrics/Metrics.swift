/// Namespace of the Metrics module.
public enum MetricsModule {}
