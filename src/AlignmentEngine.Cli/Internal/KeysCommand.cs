using System.CommandLine;
using System.Globalization;
using AlignmentEngine.Service.Security;
using AlignmentEngine.Storage;

namespace AlignmentEngine.Cli.Internal;

/// <summary>
/// <c>okr keys create|list|revoke</c>: API keys in the store the service uses. A key's text is printed once, by
/// create, and is kept nowhere (the store holds its hash). A running service sees a change within a few seconds.
/// </summary>
internal static class KeysCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("keys", "Create, list and revoke the API keys clients of 'okr serve' authenticate with.");
        command.Subcommands.Add(CreateKey(console));
        command.Subcommands.Add(List(console));
        command.Subcommands.Add(Revoke(console));
        return command;
    }

    private static Command CreateKey(CliConsole console)
    {
        var tenant = new Option<string>("--tenant") { Description = "The tenant the key is bound to.", Required = true };
        var scopes = new Option<string>("--scopes") { Description = "What the key may do: read, write and/or admin, comma-separated.", DefaultValueFactory = _ => ApiScopes.Read };
        var store = StoreOption.Create();
        var command = new Command("create", "Create a key and print it (the only time it is shown).") { tenant, scopes, store };
        command.SetAction((result, cancellation) => WithStoreAsync(result.GetRequiredValue(store), console, async s =>
        {
            var granted = result.GetRequiredValue(scopes).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            StoredApiKey key;
            string text;
            try
            {
                (key, text) = await ApiKeys.CreateAsync(s, result.GetRequiredValue(tenant), granted, DateTimeOffset.UtcNow).ConfigureAwait(false);
            }
            catch (ArgumentException e)
            {
                console.Error.WriteLine($"okr keys create: {OneLine.Of(e)}");
                return ExitCodes.Usage;
            }

            // The key alone on stdout, for scripts; the rest on stderr.
            console.Out.WriteLine(text);
            console.Error.WriteLine($"okr keys create: key {key.Id} for tenant '{key.Tenant}' ({string.Join(",", key.Scopes)}); it is shown only now, keep it safe");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command List(CliConsole console)
    {
        var tenant = new Option<string?>("--tenant") { Description = "Only this tenant's keys." };
        var store = StoreOption.Create();
        var command = new Command("list", "List keys: id, tenant, scopes, created and revoked times (never secrets).") { tenant, store };
        command.SetAction((result, cancellation) => WithStoreAsync(result.GetRequiredValue(store), console, async s =>
        {
            var only = result.GetValue(tenant);
            console.Out.WriteLine("id\ttenant\tscopes\tcreated\trevoked");
            foreach (var key in (await s.ListApiKeysAsync(cancellation).ConfigureAwait(false)).Where(k => only is null || k.Tenant == only))
            {
                console.Out.WriteLine(string.Join('\t', key.Id, key.Tenant, string.Join(",", key.Scopes), Format(key.CreatedAt), key.RevokedAt is { } at ? Format(at) : "-"));
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static Command Revoke(CliConsole console)
    {
        var id = new Argument<string>("id") { Description = "The key's id (as 'okr keys list' shows it)." };
        var store = StoreOption.Create();
        var command = new Command("revoke", "Revoke a key; a running service refuses it within a few seconds.") { id, store };
        command.SetAction((result, cancellation) => WithStoreAsync(result.GetRequiredValue(store), console, async s =>
        {
            var key = result.GetRequiredValue(id);
            if (!await s.RevokeApiKeyAsync(key, DateTimeOffset.UtcNow, cancellation).ConfigureAwait(false))
            {
                console.Error.WriteLine($"okr keys revoke: no unrevoked key '{key}'");
                return ExitCodes.Usage;
            }

            console.Out.WriteLine($"revoked {key}");
            return ExitCodes.Ok;
        }));
        return command;
    }

    private static async Task<int> WithStoreAsync(string location, CliConsole console, Func<IAlignmentStore, Task<int>> action)
    {
        IAlignmentStore store;
        try
        {
            store = AlignmentStores.Open(location);
        }
        catch (ArgumentException e)
        {
            console.Error.WriteLine($"okr keys: --store: {OneLine.Of(e)}");
            return ExitCodes.Usage;
        }

        using (store)
        {
            try
            {
                await store.MigrateAsync().ConfigureAwait(false);
                return await action(store).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StoreUnavailableException or StoreSchemaException)
            {
                console.Error.WriteLine($"okr keys: {OneLine.Of(e)}");
                return ExitCodes.Usage;
            }
        }
    }

    private static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
