namespace WebIde.IntegrationTests.LanguageServers;

/// <summary>
/// What one language's server is asked over the socket, in a project of three files: <see cref="Main"/> (with a
/// member access to complete and a call of a function of <see cref="Helper"/>), the helper, and
/// <see cref="Broken"/> with an error a server finds. Positions are 0-based, as LSP's.
/// </summary>
/// <param name="Completion">Where to complete in <see cref="Main"/>, and a label the list must hold. C++ completes
/// <c>std::v</c>, as after a person's first keystroke: clangd answers <c>std::</c> with 100 of its members, ranked
/// differently from one start to the next, and marks the list incomplete, so an editor asks again as they type.</param>
/// <param name="Call">A position on the call of the helper's function in <see cref="Main"/>: hovered and followed.</param>
/// <param name="Signature">What the hover must show of the function's signature.</param>
public sealed record LanguageServerCase(
    string Language,
    (string Path, string Text) Main,
    (string Path, string Text) Helper,
    (string Path, string Text) Broken,
    (int Line, int Character, string Expected) Completion,
    (int Line, int Character) Call,
    string Signature)
{
    public override string ToString() => Language;

    public static IEnumerable<LanguageServerCase> All =>
    [
        new("python",
            ("main.py", "import os\nfrom helper import greet\n\nprint(greet(\"a\"))\nos.\n"),
            ("helper.py", "def greet(name: str) -> str:\n    return \"hi \" + name\n"),
            ("broken.py", "count: int = \"three\"\n"),
            (4, 3, "path"), (3, 7), "name: str"),
        new("typescript",
            ("main.ts", "import { greet } from \"./helper\";\ninterface Point { x: number; label: string }\nconst p: Point = { x: 1, label: \"a\" };\nconsole.log(greet(p.label));\np.\n"),
            ("helper.ts", "export function greet(name: string): string {\n    return \"hi \" + name;\n}\n"),
            ("broken.ts", "const count: number = \"three\";\nexport {};\n"),
            (4, 2, "label"), (3, 13), "name: string"),
        new("javascript",
            ("main.js", "import { greet } from \"./helper.js\";\nconst text = \"abc\";\nconsole.log(greet(text));\ntext.\n"),
            ("helper.js", "/** @param {string} name */\nexport function greet(name) {\n    return \"hi \" + name;\n}\n"),
            ("broken.js", "// @ts-check\nconst count = 3;\ncount.toUpperCase();\n"),
            (3, 5, "toUpperCase"), (2, 13), "greet(name"),
        new("c",
            ("main.c", "#include \"helper.h\"\nstruct point { int x; int y; };\nint main(void) {\n    struct point p = { 1, 2 };\n    int sum = add(p.x, p.y);\n    p.\n}\n"),
            ("helper.h", "int add(int a, int b);\n"),
            ("broken.c", "struct point { int x; };\nint main(void) {\n    struct point p;\n    p.z = 1;\n    return 0;\n}\n"),
            (5, 6, "x"), (4, 15), "int a, int b"),
        new("cpp",
            ("main.cpp", "#include <vector>\n#include \"helper.hpp\"\nint main() {\n    std::v\n    return add(1, 2);\n}\n"),
            ("helper.hpp", "int add(int a, int b);\n"),
            ("broken.cpp", "#include <string>\nint main() {\n    int count = std::string(\"three\");\n    return count;\n}\n"),
            (3, 10, "vector"), (4, 12), "int a, int b"),
        new("go",
            ("main.go", "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(greet(\"a\"))\n\tfmt.\n}\n"),
            ("helper.go", "package main\n\nfunc greet(name string) string {\n\treturn \"hi \" + name\n}\n"),
            ("broken.go", "package main\n\nvar count int = \"three\"\n"),
            (6, 5, "Println"), (5, 14), "name string"),
        new("bash",
            ("main.sh", "#!/bin/bash\nsource ./helper.sh\ngreet world\nech\n"),
            ("helper.sh", "#!/bin/bash\ngreet() {\n    echo \"hi $1\"\n}\n"),
            ("broken.sh", "#!/bin/bash\nif [ $1 = x ]; then echo yes; fi\n"),
            (3, 3, "echo"), (2, 2), "greet"),
    ];
}
