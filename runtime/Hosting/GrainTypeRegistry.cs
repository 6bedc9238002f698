namespace Gordo.Runtime;

/// <summary>Maps grain interfaces to grain types and grain types to the classes this silo can activate.</summary>
public sealed class GrainTypeRegistry
{
    private readonly Dictionary<Type, GrainInterfaceRegistration> _interfaces;
    private readonly Dictionary<string, GrainClassRegistration> _classes;

    public GrainTypeRegistry(IEnumerable<GrainInterfaceRegistration> interfaces, IEnumerable<GrainClassRegistration> classes)
    {
        _interfaces = [];
        foreach (var registration in interfaces)
        {
            _interfaces[registration.InterfaceType] = registration;
        }

        _classes = new Dictionary<string, GrainClassRegistration>(StringComparer.Ordinal);
        foreach (var registration in classes)
        {
            if (!typeof(Grain).IsAssignableFrom(registration.GrainClass))
            {
                throw new ArgumentException($"{registration.GrainClass} does not derive from {nameof(Grain)}.");
            }

            _classes[registration.GrainType] = registration;
        }
    }

    /// <summary>Grain types this silo hosts (empty on a gateway).</summary>
    public IEnumerable<string> HostedGrainTypes => _classes.Keys;

    public GrainClassRegistration? GetGrainClass(string grainType) => _classes.GetValueOrDefault(grainType);

    public string GetGrainType<TGrainInterface>() where TGrainInterface : IGrain => GetInterface(typeof(TGrainInterface)).GrainType;

    public TGrainInterface CreateReference<TGrainInterface>(string key, IGrainCallInvoker invoker) where TGrainInterface : IGrain
    {
        var registration = GetInterface(typeof(TGrainInterface));
        return (TGrainInterface)registration.CreateReference(new GrainId(registration.GrainType, key), invoker);
    }

    private GrainInterfaceRegistration GetInterface(Type type) =>
        _interfaces.TryGetValue(type, out var registration)
            ? registration
            : throw new InvalidOperationException($"Grain interface {type.Name} is not registered (AddGrainInterface).");
}
