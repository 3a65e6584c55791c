using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace WebIde.AppHost.UnitTests;

/// <summary>The AppHost's application model for a given configuration, built but never started.</summary>
public static class AppModel
{
    /// <summary>The data folder every model is built with.</summary>
    public static string DataDir { get; } = Path.Combine(Path.GetTempPath(), "webide-model-tests");

    public static async Task<IDistributedApplicationTestingBuilder> BuildAsync(params string[] args)
    {
        return await DistributedApplicationTestingBuilder.CreateAsync<Projects.WebIde_AppHost>(
            [$"--WebIde:DataDir={DataDir}", .. args],
            (options, _) => options.DisableDashboard = true);
    }

    /// <summary>
    /// Removes a data folder a model was built with. Disposing a model's builder lets the AppHost's entry point go on
    /// into <c>Run</c>, whose start writes the broker's definitions into the data folder: a removal at that moment
    /// finds a folder no longer empty, and is tried again.
    /// </summary>
    public static async Task DeleteDataFolderAsync(string folder)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
                return;
            }
            catch (IOException) when (!deadline.IsCancellationRequested)
            {
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    public static T Resource<T>(this IDistributedApplicationTestingBuilder builder, string name)
        where T : IResource =>
        builder.Resources.OfType<T>().SingleOrDefault(resource => resource.Name == name)
        ?? throw new AssertionException($"no {typeof(T).Name} named '{name}' in the model; it has: {string.Join(", ", builder.Resources.Select(r => $"{r.Name} ({r.GetType().Name})"))}");

    /// <summary>The environment a resource would get, as deployment manifests express it (no ports need allocating).</summary>
    public static Task<Dictionary<string, string>> ManifestEnvironmentAsync(this IResource resource) =>
        resource.EnvironmentAsync(DistributedApplicationOperation.Publish);

    /// <summary>The environment a resource would get when the platform runs (what the manifest leaves out: the dashboard's telemetry address).</summary>
    public static Task<Dictionary<string, string>> RunEnvironmentAsync(this IResource resource) =>
        resource.EnvironmentAsync(DistributedApplicationOperation.Run);

    private static async Task<Dictionary<string, string>> EnvironmentAsync(this IResource resource, DistributedApplicationOperation operation)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(operation), resource);
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return context.EnvironmentVariables.ToDictionary(variable => variable.Key, variable => Express(variable.Value));
    }

    public static async Task<List<string>> ManifestArgumentsAsync(this IResource resource)
    {
        var args = new List<object>();
        var context = new CommandLineArgsCallbackContext(args);
        foreach (var callback in resource.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }
        return args.Select(Express).ToList();
    }

    private static string Express(object value) => value switch
    {
        string text => text,
        IManifestExpressionProvider expression => expression.ValueExpression,
        _ => value.ToString() ?? "",
    };
}
