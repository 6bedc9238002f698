namespace Gordo.Api.V2;

/// <summary>The protocol's tensor element types Gordo's models take and give: FP32 and FP64.</summary>
internal enum TensorDatatype
{
    FP32,
    FP64,
}
