using System.CommandLine;

namespace AlignmentEngine.Cli.Internal;

/// <summary><c>okr render FILE --format mermaid|dot|svg</c>: the alignment graph as a picture.</summary>
internal static class RenderCommand
{
    public static Command Create(CliConsole console)
    {
        var file = CommonOptions.File();
        var asOf = CommonOptions.AsOf();
        var format = CommonOptions.Format("mermaid: for a pull request or a Markdown page; dot: Graphviz source; svg: drawn by Graphviz 'dot'.", "mermaid", "dot", "svg");
        var output = CommonOptions.Output("Write the picture to this file instead of standard output.");
        var root = new Option<string?>("--root") { Description = "Draw only this goal and the goals below it." };
        var depth = CommonOptions.OptionalWholeNumber("--depth",
            $"Draw this many levels below the root (or the roots). Default: all, or as many as keep a large tree within {RenderScope.MaxDrawn} goals.", 1, int.MaxValue);
        var command = new Command("render", "Draw the alignment graph: progress and health per goal, findings marked, with a legend.") { file, asOf, format, output, root, depth };
        command.SetAction(result =>
        {
            var path = result.GetRequiredValue(file);
            return CommandGuard.Run("render", path, console, () =>
                Render(path, result.GetValue(asOf), result.GetRequiredValue(format), result.GetValue(output), result.GetValue(root), result.GetValue(depth), console));
        });
        return command;
    }

    /// <summary>Exit 0 once the picture is written, whatever it shows: gating on findings is <c>validate</c>'s job.</summary>
    private static int Render(string file, DateOnly? asOf, string format, string? output, string? root, int? depth, CliConsole console)
    {
        var document = GoalFileInput.Read(file, console);
        if (document is null) return ExitCodes.Usage;

        var tree = EvaluatedTree.Evaluate(document, asOf);
        if (RenderScope.Select(tree, root, depth) is not { } scope)
        {
            console.Error.WriteLine($"okr render: --root: no goal '{root}' in {file}");
            return ExitCodes.Usage;
        }

        string picture;
        if (format == "mermaid")
        {
            picture = MermaidWriter.Write(tree, scope);
        }
        else if (format == "dot")
        {
            picture = DotWriter.Write(tree, scope);
        }
        else if (GraphvizDot.ToSvg(DotWriter.Write(tree, scope), out var error) is { } svg)
        {
            picture = svg;
        }
        else
        {
            console.Error.WriteLine($"okr: {error}");
            return ExitCodes.Usage;
        }

        return OutputTarget.Write(output, picture, console) ? ExitCodes.Ok : ExitCodes.Usage;
    }
}
