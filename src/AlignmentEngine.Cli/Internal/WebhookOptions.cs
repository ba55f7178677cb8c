using System.CommandLine;
using AlignmentEngine.Service;

namespace AlignmentEngine.Cli.Internal;

/// <summary><c>okr serve</c>'s webhook options.</summary>
internal sealed class WebhookOptions
{
    private readonly Option<bool> _allowInsecure = new("--allow-insecure-webhooks")
    {
        Description = "Let webhooks go to http URLs and to loopback or private addresses (receivers on this machine or a private network).",
    };

    public IEnumerable<Option> All => [_allowInsecure];

    public Action<AlignmentServiceOptions> Read(ParseResult result)
    {
        var allowInsecure = result.GetValue(_allowInsecure);
        return options => options.AllowInsecureWebhooks = allowInsecure;
    }
}
