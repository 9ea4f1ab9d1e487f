/// Namespace of the Site module.
public enum SiteModule {}
