using System.Runtime.InteropServices;

namespace Gordo.Grains.Onnx;

/// <summary>
/// An <c>OrtSession*</c> plus the native UTF-8 input/output name strings that <c>Run</c> reads. Both
/// are freed together in <see cref="ReleaseHandle"/>, which SafeHandle's reference count defers until
/// the last in-flight <c>Run</c> has returned, so disposing a session under load never frees memory
/// that ONNX Runtime is still using.
/// </summary>
internal sealed unsafe class OrtSessionHandle : SafeHandle
{
    private nint[] _names = [];

    public OrtSessionHandle(nint session) : base(0, ownsHandle: true) => SetHandle(session);

    public override bool IsInvalid => handle == 0;

    /// <summary>Native name strings, input names first then output names.</summary>
    public nint[] Names { get => _names; set => _names = value; }

    protected override bool ReleaseHandle()
    {
        OnnxNative.Api.ReleaseSession(handle);
        foreach (var name in _names)
        {
            Marshal.FreeCoTaskMem(name);
        }

        _names = [];
        return true;
    }
}

/// <summary>An <c>OrtValue*</c> (a tensor) owned by managed code.</summary>
internal sealed unsafe class OrtValueHandle : SafeHandle
{
    public OrtValueHandle(nint value) : base(0, ownsHandle: true) => SetHandle(value);

    public override bool IsInvalid => handle == 0;

    protected override bool ReleaseHandle()
    {
        OnnxNative.Api.ReleaseValue(handle);
        return true;
    }
}
