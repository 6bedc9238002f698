using System.Buffers.Binary;

namespace Gordo.Api.V2;

/// <summary>
/// Turns the inputs read from a REST request's JSON into tensors: each checked against its shape, and
/// with the binary tensor data extension the ones with <c>binary_data_size</c> filled, in order, from
/// the little-endian bytes after the JSON header. Sizes are checked before anything is allocated.
/// </summary>
internal static class BinaryTensorData
{
    /// <summary>Checks every input against its shape and fills the binary ones from the bytes after the header.</summary>
    public static List<InferInput> Complete(List<PendingInput> pending, ReadOnlySpan<byte> binary, long maxCells)
    {
        if (pending.Count == 0)
        {
            throw Invalid("The request has no inputs.");
        }

        var inputs = new List<InferInput>(pending.Count);
        try
        {
            Fill(pending, binary, maxCells, inputs);
        }
        catch
        {
            inputs.ForEach(i => i.Dispose());
            throw;
        }

        return inputs;
    }

    private static void Fill(List<PendingInput> pending, ReadOnlySpan<byte> binary, long maxCells, List<InferInput> inputs)
    {
        var offset = 0;
        foreach (var input in pending)
        {
            var name = input.Name ?? throw Invalid("Every input needs a 'name'.");
            var datatype = input.Datatype ?? throw Invalid($"Input '{name}' needs a 'datatype'.");
            var shape = input.Shape ?? throw Invalid($"Input '{name}' needs a 'shape'.");
            var count = InferInput.ElementCount(name, shape, maxCells);
            var elementSize = datatype == TensorDatatype.FP32 ? sizeof(float) : sizeof(double);
            if (input.BinarySize is { } size)
            {
                if (input.Values is not null)
                {
                    throw Invalid($"Input '{name}' has both 'data' and 'binary_data_size'.");
                }

                if (size != (long)count * elementSize)
                {
                    throw Invalid($"Input '{name}' declares {size} bytes of binary data; shape [{string.Join(", ", shape)}] of {datatype} is {(long)count * elementSize} bytes.");
                }

                if (binary.Length - offset < size)
                {
                    throw Invalid($"Input '{name}' declares {size} bytes of binary data but only {binary.Length - offset} remain in the body.");
                }

                var values = PooledArrays.Rent<double>(Math.Max(1, count));
                Decode(binary.Slice(offset, (int)size), datatype, values);
                offset += (int)size;
                inputs.Add(new InferInput(name, datatype, shape, values, count));
            }
            else
            {
                if (input.Values is null)
                {
                    throw Invalid($"Input '{name}' has neither 'data' nor 'binary_data_size'.");
                }

                if (input.Count != count)
                {
                    throw Invalid($"Input '{name}' has {input.Count} values; shape [{string.Join(", ", shape)}] holds {count}.");
                }

                inputs.Add(new InferInput(name, datatype, shape, input.TakeValues(), count));
            }
        }

        if (offset != binary.Length)
        {
            throw Invalid($"The body has {binary.Length - offset} bytes of binary data that no input declares.");
        }
    }

    private static void Decode(ReadOnlySpan<byte> bytes, TensorDatatype datatype, double[] values)
    {
        if (datatype == TensorDatatype.FP64)
        {
            for (var i = 0; i < bytes.Length / 8; i++)
            {
                values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * 8)..]);
            }

            return;
        }

        for (var i = 0; i < bytes.Length / 4; i++)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        }
    }

    private static InvalidFrameException Invalid(string message) => new(message, "error");
}
