/// Namespace of the Corpus module.
public enum CorpusModule {}
