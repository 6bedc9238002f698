namespace Gordo.Runtime;

/// <summary>Returns references to grains by key. A reference is cheap, needs no activation, and
/// works from any silo or gateway: the call is routed to the grain's owner.</summary>
public interface IGrainFactory
{
    TGrainInterface GetGrain<TGrainInterface>(string key) where TGrainInterface : IGrainWithStringKey;
}
