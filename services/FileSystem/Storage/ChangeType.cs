namespace WebIde.FileSystem.Storage;

public enum ChangeType
{
    Created,
    Changed,
    Deleted,
    Moved,
}
