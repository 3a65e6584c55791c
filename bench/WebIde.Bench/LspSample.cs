namespace WebIde.Bench;

/// <summary>
/// One language's file for the lsp benchmark: saved in the workspace at <see cref="Path"/>, opened with
/// <see cref="LanguageId"/>, and completed where <see cref="BeforeCursor"/> ends: a member access, or a
/// prefix where the language has no members to ask for (C's <c>str</c>, bash's <c>ech</c>).
/// </summary>
/// <param name="Language">The platform's language name, as in <c>/ws/lsp/{workspaceId}/{language}</c>.</param>
/// <param name="LanguageId">LSP's language identifier for <c>textDocument/didOpen</c>.</param>
/// <param name="Expected">An item the answer must hold to count: a list with items but without it (clangd's identifiers from
/// the text, while it still parses the headers) is not yet the completion asked for.</param>
/// <param name="ServerProcesses">Words one of the server's processes has in its command line: how its container is told apart when no label names it.</param>
public sealed record LspSample(string Language, string LanguageId, string Path, string BeforeCursor, string AfterCursor, string Expected, IReadOnlyList<string> ServerProcesses)
{
    public static IReadOnlyList<LspSample> All { get; } =
    [
        new("python", "python", "main.py", "import os\nos.", "\n", "path", ["pyright", "pylsp", "jedi-language-server", "python-lsp-server"]),
        new("javascript", "javascript", "main.js", "const s = \"a\";\ns.", "\n", "length", ["typescript-language-server", "tsserver", "vtsls"]),
        new("typescript", "typescript", "main.ts", "interface P { name: string }\nconst p: P = { name: \"a\" };\np.", "\n", "name", ["typescript-language-server", "tsserver", "vtsls"]),
        new("c", "c", "main.c", "#include <string.h>\n\nint main(void) {\n    str", "\n}\n", "strlen", ["clangd", "ccls"]),
        new("cpp", "cpp", "main.cpp", "#include <vector>\n\nint main() {\n    std::vector<int> v;\n    v.", "\n}\n", "push_back", ["clangd", "ccls"]),
        new("go", "go", "main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.", "\n}\n", "Println", ["gopls"]),
        new("bash", "shellscript", "main.sh", "ech", "\n", "echo", ["bash-language-server"]),
    ];

    public string Text => BeforeCursor + AfterCursor;

    public string Uri => $"file:///workspace/{Path}";

    /// <summary>Zero-based, in UTF-16 code units (LSP's default position encoding; the samples are ASCII).</summary>
    public int CursorLine => BeforeCursor.Count(character => character == '\n');

    public int CursorCharacter => BeforeCursor.Length - (BeforeCursor.LastIndexOf('\n') + 1);

    /// <summary>The character just before the cursor: a trigger character when the server lists it as one.</summary>
    public char BeforeCursorCharacter => BeforeCursor[^1];
}
