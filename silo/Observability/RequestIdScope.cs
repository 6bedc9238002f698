using System.Collections;

namespace Gordo.Silo;

/// <summary>The logging scope of one request: puts <c>RequestId</c> on every log line written inside it,
/// on the front end and on the silo that runs the grain.</summary>
public sealed class RequestIdScope(string requestId) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public const string Key = "RequestId";

    public string RequestId { get; } = requestId;

    public int Count => 1;

    public KeyValuePair<string, object?> this[int index] => index == 0 ? new(Key, RequestId) : throw new ArgumentOutOfRangeException(nameof(index));

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => $"RequestId:{RequestId}";
}
