namespace WebIde.IntegrationTests.Execution;

/// <summary>
/// One project per language of docs/api.md §5, each of two files: the entry calls a greeting defined in
/// the other file, reads one line of stdin and prints both with its arguments, so one line of
/// output shows that the project was built as a whole, that argv kept an argument with a space
/// and that stdin arrived.
/// </summary>
public sealed record LanguageProgram(string Language, string Entry, IReadOnlyDictionary<string, string> Files)
{
    /// <summary>The folder the program lives in when every language shares one workspace.</summary>
    public string Folder => Language;

    public string EntryInFolder => $"{Folder}/{Entry}";

    /// <summary>What the program prints for <see cref="LanguagePrograms.Args"/> and <see cref="LanguagePrograms.Stdin"/>.</summary>
    public string ExpectedStdout => $"hello from {Language}; args=[a, b c]; stdin=line one\n";

    public override string ToString() => Language;
}

public static class LanguagePrograms
{
    /// <summary>The second argument holds a space: a runner that joins argv into a command line would split it.</summary>
    public static readonly string[] Args = ["a", "b c"];

    /// <summary>More than the one line the programs read: the rest must not show up anywhere.</summary>
    public const string Stdin = "line one\nline two\n";

    public static IReadOnlyList<LanguageProgram> All { get; } =
    [
        new("python", "main.py", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["main.py"] = """
                import sys

                import greeter

                line = sys.stdin.readline().rstrip("\n")
                print(f"{greeter.greet('python')}; args=[{', '.join(sys.argv[1:])}]; stdin={line}")

                """,
            ["greeter.py"] = """
                def greet(who):
                    return "hello from " + who

                """,
        }),
        new("javascript", "main.js", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["main.js"] = """
                const { readFileSync } = require('fs');
                const { greet } = require('./greeter');

                const line = readFileSync(0, 'utf8').split('\n')[0];
                console.log(`${greet('javascript')}; args=[${process.argv.slice(2).join(', ')}]; stdin=${line}`);

                """,
            ["greeter.js"] = """
                exports.greet = (who) => 'hello from ' + who;

                """,
        }),
        new("typescript", "main.ts", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["main.ts"] = """
                import { readFileSync } from "fs";
                import { greet } from "./greeter";

                const line: string = readFileSync(0, "utf8").split("\n")[0];
                const args: string[] = process.argv.slice(2);
                console.log(`${greet("typescript")}; args=[${args.join(", ")}]; stdin=${line}`);

                """,
            ["greeter.ts"] = """
                export function greet(who: string): string {
                    return "hello from " + who;
                }

                """,
        }),
        new("c", "main.c", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["main.c"] = """
                #include <stdio.h>
                #include <string.h>

                #include "greeter.h"

                int main(int argc, char **argv)
                {
                    char line[256] = "";
                    if (fgets(line, sizeof line, stdin) != NULL) {
                        line[strcspn(line, "\n")] = '\0';
                    }
                    greet("c");
                    printf("; args=[");
                    for (int i = 1; i < argc; i++) {
                        printf("%s%s", i > 1 ? ", " : "", argv[i]);
                    }
                    printf("]; stdin=%s\n", line);
                    return 0;
                }

                """,
            ["greeter.c"] = """
                #include <stdio.h>

                #include "greeter.h"

                void greet(const char *who)
                {
                    printf("hello from %s", who);
                }

                """,
            ["greeter.h"] = """
                #ifndef GREETER_H
                #define GREETER_H

                void greet(const char *who);

                #endif

                """,
        }),
        new("cpp", "main.cpp", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["main.cpp"] = """
                #include <iostream>
                #include <string>

                #include "greeter.hpp"

                int main(int argc, char **argv)
                {
                    std::string line;
                    std::getline(std::cin, line);
                    std::string joined;
                    for (int i = 1; i < argc; i++) {
                        joined += (i > 1 ? ", " : "") + std::string(argv[i]);
                    }
                    std::cout << greet("cpp") << "; args=[" << joined << "]; stdin=" << line << std::endl;
                    return 0;
                }

                """,
            ["greeter.cpp"] = """
                #include "greeter.hpp"

                std::string greet(const std::string &who)
                {
                    return "hello from " + who;
                }

                """,
            ["greeter.hpp"] = """
                #pragma once

                #include <string>

                std::string greet(const std::string &who);

                """,
        }),
        new("java", "app/Main.java", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["app/Main.java"] = """
                package app;

                import java.io.BufferedReader;
                import java.io.InputStreamReader;
                import java.nio.charset.StandardCharsets;

                public class Main {
                    public static void main(String[] args) throws Exception {
                        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                        String line = in.readLine();
                        System.out.println(Greeter.greet("java") + "; args=[" + String.join(", ", args) + "]; stdin=" + (line == null ? "" : line));
                    }
                }

                """,
            ["app/Greeter.java"] = """
                package app;

                final class Greeter {
                    private Greeter() {
                    }

                    static String greet(String who) {
                        return "hello from " + who;
                    }
                }

                """,
        }),
        new("go", "main.go", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["main.go"] = """
                package main

                import (
                	"bufio"
                	"fmt"
                	"os"
                	"strings"
                )

                func main() {
                	line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
                	fmt.Printf("%s; args=[%s]; stdin=%s\n", greet("go"), strings.Join(os.Args[1:], ", "), strings.TrimSuffix(line, "\n"))
                }

                """,
            ["greeter.go"] = """
                package main

                func greet(who string) string {
                	return "hello from " + who
                }

                """,
        }),
        new("rust", "main.rs", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["main.rs"] = """
                mod greeter;

                use std::io::BufRead;

                fn main() {
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line).expect("stdin is readable");
                    let args: Vec<String> = std::env::args().skip(1).collect();
                    println!("{}; args=[{}]; stdin={}", greeter::greet("rust"), args.join(", "), line.trim_end_matches('\n'));
                }

                """,
            ["greeter.rs"] = """
                pub fn greet(who: &str) -> String {
                    format!("hello from {}", who)
                }

                """,
        }),
        new("bash", "main.sh", new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["main.sh"] = """
                source "$(dirname "$0")/greeter.sh"

                IFS= read -r line
                joined=""
                for arg in "$@"; do
                    joined+="${joined:+, }$arg"
                done
                echo "$(greet bash); args=[$joined]; stdin=$line"

                """,
            ["greeter.sh"] = """
                greet() {
                    printf 'hello from %s' "$1"
                }

                """,
        }),
    ];

    public static LanguageProgram Of(string language) => All.Single(program => program.Language == language);
}
