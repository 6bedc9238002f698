using System.Runtime.InteropServices;

namespace Gordo.Grains.Onnx;

/// <summary>
/// The slice of ONNX Runtime's <c>OrtApi</c> function table that Gordo calls. The table is a C struct
/// of function pointers that only ever grows at the end, so a member's index is fixed forever; the
/// indices below are those of <c>onnxruntime_c_api.cc</c> (checked against its static_asserts:
/// ReleaseCustomOpDomain = 101, ReleaseModelMetadata = 118, SetGlobalSpinControl = 149).
/// Every call that returns an <c>OrtStatus*</c> goes through <see cref="Check"/>.
/// </summary>
internal sealed unsafe class OrtApi
{
    /// <summary>API version requested from <c>OrtGetApiBase()->GetApi</c>; 1.30 serves every version up to its own.</summary>
    public const uint RequestedApiVersion = 17;

    public readonly delegate* unmanaged<nint, int> GetErrorCode;                                   // 1
    public readonly delegate* unmanaged<nint, byte*> GetErrorMessage;                              // 2
    public readonly delegate* unmanaged<int, byte*, nint*, nint> CreateEnv;                        // 3
    public readonly delegate* unmanaged<nint, void*, nuint, nint, nint*, nint> CreateSessionFromArray; // 8
    public readonly delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint> Run; // 9
    public readonly delegate* unmanaged<nint*, nint> CreateSessionOptions;                         // 10
    public readonly delegate* unmanaged<nint, int, nint> SetSessionExecutionMode;                  // 13
    public readonly delegate* unmanaged<nint, nint> EnableMemPattern;                              // 16
    public readonly delegate* unmanaged<nint, nint> DisableMemPattern;                             // 17
    public readonly delegate* unmanaged<nint, nint> EnableCpuMemArena;                             // 18
    public readonly delegate* unmanaged<nint, nint> DisableCpuMemArena;                            // 19
    public readonly delegate* unmanaged<nint, byte*, nint> SetSessionLogId;                        // 20
    public readonly delegate* unmanaged<nint, int, nint> SetSessionGraphOptimizationLevel;         // 23
    public readonly delegate* unmanaged<nint, int, nint> SetIntraOpNumThreads;                     // 24
    public readonly delegate* unmanaged<nint, int, nint> SetInterOpNumThreads;                     // 25
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetInputCount;                  // 30
    public readonly delegate* unmanaged<nint, nuint*, nint> SessionGetOutputCount;                 // 31
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetInputTypeInfo;         // 33
    public readonly delegate* unmanaged<nint, nuint, nint*, nint> SessionGetOutputTypeInfo;        // 34
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetInputName;      // 36
    public readonly delegate* unmanaged<nint, nuint, nint, byte**, nint> SessionGetOutputName;     // 37
    public readonly delegate* unmanaged<nint*, nint> CreateRunOptions;                             // 39
    public readonly delegate* unmanaged<nint, nint> RunOptionsSetTerminate;                        // 46
    public readonly delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint> CreateTensorWithDataAsOrtValue; // 49
    public readonly delegate* unmanaged<nint, void**, nint> GetTensorMutableData;                  // 51
    public readonly delegate* unmanaged<nint, nint*, nint> CastTypeInfoToTensorInfo;               // 55
    public readonly delegate* unmanaged<nint, int*, nint> GetOnnxTypeFromTypeInfo;                 // 56
    public readonly delegate* unmanaged<nint, int*, nint> GetTensorElementType;                    // 60
    public readonly delegate* unmanaged<nint, nuint*, nint> GetDimensionsCount;                    // 61
    public readonly delegate* unmanaged<nint, long*, nuint, nint> GetDimensions;                   // 62
    public readonly delegate* unmanaged<nint, nint*, nint> GetTensorTypeAndShape;                  // 65
    public readonly delegate* unmanaged<int, int, nint*, nint> CreateCpuMemoryInfo;                // 69
    public readonly delegate* unmanaged<nint, void*, nint> AllocatorFree;                          // 76
    public readonly delegate* unmanaged<nint*, nint> GetAllocatorWithDefaultOptions;               // 78
    public readonly delegate* unmanaged<nint, void> ReleaseEnv;                                    // 92
    public readonly delegate* unmanaged<nint, void> ReleaseStatus;                                 // 93
    public readonly delegate* unmanaged<nint, void> ReleaseMemoryInfo;                             // 94
    public readonly delegate* unmanaged<nint, void> ReleaseSession;                                // 95
    public readonly delegate* unmanaged<nint, void> ReleaseValue;                                  // 96
    public readonly delegate* unmanaged<nint, void> ReleaseRunOptions;                             // 97
    public readonly delegate* unmanaged<nint, void> ReleaseTypeInfo;                               // 98
    public readonly delegate* unmanaged<nint, void> ReleaseTensorTypeAndShapeInfo;                 // 99
    public readonly delegate* unmanaged<nint, void> ReleaseSessionOptions;                         // 100
    public readonly delegate* unmanaged<nint, nint*, nint> SessionGetModelMetadata;                // 111
    public readonly delegate* unmanaged<nint, nint, byte**, nint> ModelMetadataGetProducerName;    // 112
    public readonly delegate* unmanaged<nint, nint, byte*, byte**, nint> ModelMetadataLookupCustomMetadataMap; // 116
    public readonly delegate* unmanaged<nint, void> ReleaseModelMetadata;                          // 118
    public readonly delegate* unmanaged<int, byte*, nint, nint*, nint> CreateEnvWithGlobalThreadPools; // 119
    public readonly delegate* unmanaged<nint, nint> DisablePerSessionThreads;                      // 120
    public readonly delegate* unmanaged<nint*, nint> CreateThreadingOptions;                       // 121
    public readonly delegate* unmanaged<nint, void> ReleaseThreadingOptions;                       // 122
    public readonly delegate* unmanaged<nint, nint, byte***, long*, nint> ModelMetadataGetCustomMetadataMapKeys; // 123
    public readonly delegate* unmanaged<nint, byte*, byte*, nint> AddSessionConfigEntry;           // 130
    public readonly delegate* unmanaged<nint, int, nint> SetGlobalIntraOpNumThreads;               // 147
    public readonly delegate* unmanaged<nint, int, nint> SetGlobalInterOpNumThreads;               // 148
    public readonly delegate* unmanaged<nint, int, nint> SetGlobalSpinControl;                     // 149

    public OrtApi(nint* table)
    {
        GetErrorCode = (delegate* unmanaged<nint, int>)table[1];
        GetErrorMessage = (delegate* unmanaged<nint, byte*>)table[2];
        CreateEnv = (delegate* unmanaged<int, byte*, nint*, nint>)table[3];
        CreateSessionFromArray = (delegate* unmanaged<nint, void*, nuint, nint, nint*, nint>)table[8];
        Run = (delegate* unmanaged<nint, nint, nint*, nint*, nuint, nint*, nuint, nint*, nint>)table[9];
        CreateSessionOptions = (delegate* unmanaged<nint*, nint>)table[10];
        SetSessionExecutionMode = (delegate* unmanaged<nint, int, nint>)table[13];
        EnableMemPattern = (delegate* unmanaged<nint, nint>)table[16];
        DisableMemPattern = (delegate* unmanaged<nint, nint>)table[17];
        EnableCpuMemArena = (delegate* unmanaged<nint, nint>)table[18];
        DisableCpuMemArena = (delegate* unmanaged<nint, nint>)table[19];
        SetSessionLogId = (delegate* unmanaged<nint, byte*, nint>)table[20];
        SetSessionGraphOptimizationLevel = (delegate* unmanaged<nint, int, nint>)table[23];
        SetIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[24];
        SetInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[25];
        SessionGetInputCount = (delegate* unmanaged<nint, nuint*, nint>)table[30];
        SessionGetOutputCount = (delegate* unmanaged<nint, nuint*, nint>)table[31];
        SessionGetInputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[33];
        SessionGetOutputTypeInfo = (delegate* unmanaged<nint, nuint, nint*, nint>)table[34];
        SessionGetInputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[36];
        SessionGetOutputName = (delegate* unmanaged<nint, nuint, nint, byte**, nint>)table[37];
        CreateRunOptions = (delegate* unmanaged<nint*, nint>)table[39];
        RunOptionsSetTerminate = (delegate* unmanaged<nint, nint>)table[46];
        CreateTensorWithDataAsOrtValue = (delegate* unmanaged<nint, void*, nuint, long*, nuint, int, nint*, nint>)table[49];
        GetTensorMutableData = (delegate* unmanaged<nint, void**, nint>)table[51];
        CastTypeInfoToTensorInfo = (delegate* unmanaged<nint, nint*, nint>)table[55];
        GetOnnxTypeFromTypeInfo = (delegate* unmanaged<nint, int*, nint>)table[56];
        GetTensorElementType = (delegate* unmanaged<nint, int*, nint>)table[60];
        GetDimensionsCount = (delegate* unmanaged<nint, nuint*, nint>)table[61];
        GetDimensions = (delegate* unmanaged<nint, long*, nuint, nint>)table[62];
        GetTensorTypeAndShape = (delegate* unmanaged<nint, nint*, nint>)table[65];
        CreateCpuMemoryInfo = (delegate* unmanaged<int, int, nint*, nint>)table[69];
        AllocatorFree = (delegate* unmanaged<nint, void*, nint>)table[76];
        GetAllocatorWithDefaultOptions = (delegate* unmanaged<nint*, nint>)table[78];
        ReleaseEnv = (delegate* unmanaged<nint, void>)table[92];
        ReleaseStatus = (delegate* unmanaged<nint, void>)table[93];
        ReleaseMemoryInfo = (delegate* unmanaged<nint, void>)table[94];
        ReleaseSession = (delegate* unmanaged<nint, void>)table[95];
        ReleaseValue = (delegate* unmanaged<nint, void>)table[96];
        ReleaseRunOptions = (delegate* unmanaged<nint, void>)table[97];
        ReleaseTypeInfo = (delegate* unmanaged<nint, void>)table[98];
        ReleaseTensorTypeAndShapeInfo = (delegate* unmanaged<nint, void>)table[99];
        ReleaseSessionOptions = (delegate* unmanaged<nint, void>)table[100];
        SessionGetModelMetadata = (delegate* unmanaged<nint, nint*, nint>)table[111];
        ModelMetadataGetProducerName = (delegate* unmanaged<nint, nint, byte**, nint>)table[112];
        ModelMetadataLookupCustomMetadataMap = (delegate* unmanaged<nint, nint, byte*, byte**, nint>)table[116];
        ReleaseModelMetadata = (delegate* unmanaged<nint, void>)table[118];
        CreateEnvWithGlobalThreadPools = (delegate* unmanaged<int, byte*, nint, nint*, nint>)table[119];
        DisablePerSessionThreads = (delegate* unmanaged<nint, nint>)table[120];
        CreateThreadingOptions = (delegate* unmanaged<nint*, nint>)table[121];
        ReleaseThreadingOptions = (delegate* unmanaged<nint, void>)table[122];
        ModelMetadataGetCustomMetadataMapKeys = (delegate* unmanaged<nint, nint, byte***, long*, nint>)table[123];
        AddSessionConfigEntry = (delegate* unmanaged<nint, byte*, byte*, nint>)table[130];
        SetGlobalIntraOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[147];
        SetGlobalInterOpNumThreads = (delegate* unmanaged<nint, int, nint>)table[148];
        SetGlobalSpinControl = (delegate* unmanaged<nint, int, nint>)table[149];
    }

    /// <summary>Turns a non-null <c>OrtStatus*</c> into an exception carrying ONNX Runtime's own message, releasing the status.</summary>
    public void Check(nint status)
    {
        if (status == 0)
        {
            return;
        }

        var code = (OrtErrorCode)GetErrorCode(status);
        var message = Marshal.PtrToStringUTF8((nint)GetErrorMessage(status)) ?? "(no message)";
        ReleaseStatus(status);
        throw new OnnxRuntimeException(code, message);
    }
}
