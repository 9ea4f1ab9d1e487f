/// The version of VAEScope, stored with every run it writes.
public enum VAEScopeVersion {
    public static let current = "0.1.0"
}
