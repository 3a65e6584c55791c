namespace WebIde.FileSystem.Storage;

public enum EntryType
{
    File,
    Directory,
}
