using AlignmentEngine.Cli;

return OkrCommandLine.Run(args, CliConsole.FromProcess());
