namespace Gordo.Runtime;

/// <summary>The grain methods this silo answers for other silos, by grain type and method name.</summary>
public sealed class RemoteGrainMethodRegistry(IEnumerable<IRemoteGrainMethod> methods)
{
    private readonly Dictionary<(string, string), IRemoteGrainMethod> _methods =
        methods.ToDictionary(m => (m.GrainType, m.Name));

    public IRemoteGrainMethod? Find(string grainType, string method) => _methods.GetValueOrDefault((grainType, method));
}
