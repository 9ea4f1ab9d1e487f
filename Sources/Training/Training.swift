/// Namespace of the Training module.
public enum TrainingModule {}
