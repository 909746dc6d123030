using TakCan.Host.Console.Cli;

return await TakcanCommand.Create().Parse(args).InvokeAsync();
