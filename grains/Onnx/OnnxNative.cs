using System.Runtime.InteropServices;

namespace Gordo.Grains.Onnx;

/// <summary>
/// Loads <c>libonnxruntime.so.1</c> once per process and exposes its <see cref="OrtApi"/> table.
/// The library is looked up at <c>GORDO_ONNXRUNTIME_PATH</c> when set, else next to Gordo's binaries
/// (the build copies it there from the cache).
/// </summary>
internal static unsafe class OnnxNative
{
    public const string LibraryFileName = "libonnxruntime.so.1";
    public const string PathVariable = "GORDO_ONNXRUNTIME_PATH";

    private static readonly Lazy<Loaded> s_loaded = new(Load, LazyThreadSafetyMode.ExecutionAndPublication);

    public static OrtApi Api => s_loaded.Value.Api;

    /// <summary>ONNX Runtime's own version string, e.g. "1.30.0".</summary>
    public static string Version => s_loaded.Value.Version;

    public static string LibraryPath => s_loaded.Value.Path;

    private static Loaded Load()
    {
        var path = Environment.GetEnvironmentVariable(PathVariable);
        if (string.IsNullOrEmpty(path))
        {
            path = System.IO.Path.Combine(AppContext.BaseDirectory, LibraryFileName);
        }

        if (!NativeLibrary.TryLoad(path, out var handle))
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail,
                $"ONNX Runtime could not be loaded from '{path}'. Build the solution (it fetches the library with eng/fetch-onnxruntime.sh) or set {PathVariable}.");
        }

        var getApiBase = (delegate* unmanaged<nint*>)NativeLibrary.GetExport(handle, "OrtGetApiBase");
        // OrtApiBase is { const OrtApi* (*GetApi)(uint32_t); const char* (*GetVersionString)(void); }.
        var apiBase = getApiBase();
        var getApi = (delegate* unmanaged<uint, nint*>)apiBase[0];
        var getVersion = (delegate* unmanaged<byte*>)apiBase[1];
        var version = Marshal.PtrToStringUTF8((nint)getVersion()) ?? "unknown";
        var table = getApi(OrtApi.RequestedApiVersion);
        if (table == null)
        {
            throw new OnnxRuntimeException(OrtErrorCode.Fail,
                $"ONNX Runtime {version} at '{path}' does not serve API version {OrtApi.RequestedApiVersion}.");
        }

        return new Loaded(new OrtApi(table), version, path);
    }

    private sealed record Loaded(OrtApi Api, string Version, string Path);
}
