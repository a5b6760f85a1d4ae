import GongguCore
import GongguEvents

extension DirectoryActivated {
    /// Builds the activation of a checked directory.
    public init(_ directory: RecipientDirectory) { self.init(document: directory.text, version: directory.version) }
}
