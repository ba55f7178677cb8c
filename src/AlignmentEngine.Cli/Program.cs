using System.Globalization;
using AlignmentEngine.Cli;

// Globalization is on for okr (the SQL Server client refuses invariant mode: it maps collations to code pages with
// ICU), but nothing okr prints depends on the machine's locale: every thread formats with the invariant culture.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;

return OkrCommandLine.Run(args, CliConsole.FromProcess());
