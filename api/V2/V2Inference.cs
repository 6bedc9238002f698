using Gordo.Api.Cluster;

namespace Gordo.Api.V2;

/// <summary>
/// Runs an inference request on a model grain, the same grain calls as gordo's routes: X (the graph's
/// input, <c>[rows, tags]</c>, in the model's datatype) and an optional <c>y</c> (<c>[rows, targets]</c>)
/// become positional frames; graph outputs alone are a prediction, any anomaly output an anomaly
/// prediction (which needs y); the answer's groups become the tensors asked for, in order.
/// </summary>
internal sealed class V2Inference(V2Models models, ModelCalls calls)
{
    public const string TargetsInput = "y";
    private const string ModelOutputGroup = "model-output";

    public async Task<InferResult> InferAsync(ModelKey key, InferRequest request, CancellationToken cancellationToken)
    {
        var signature = await models.SignatureAsync(key, cancellationToken).ConfigureAwait(false);
        var (x, y) = TakeInputs(signature, request);
        using var frames = new RequestFrames(x, y);
        var outputs = SelectOutputs(signature, request, y is not null);
        var anomaly = outputs.Exists(o => o.Name != signature.OutputName);
        var allColumns = outputs.Exists(o => o.Name.StartsWith("smooth-", StringComparison.Ordinal));
        calls.CheckMessageSize(frames.ByteCount, frames.ResponseByteEstimate(anomaly));
        using var result = anomaly
            ? await calls.InvokeAsync(key, (grain, ct) => grain.AnomalyAsync(new AnomalyRequest(frames.X, frames.Y, allColumns), ct), cancellationToken).ConfigureAwait(false)
            : await calls.InvokeAsync(key, (grain, ct) => grain.PredictAsync(new PredictionRequest(frames.X, null), ct), cancellationToken).ConfigureAwait(false);
        var tensors = new List<InferOutput>(outputs.Count);
        try
        {
            foreach (var (name, binary) in outputs)
            {
                var output = ToTensor(signature, result, name);
                output.Binary = binary ?? request.BinaryOutputs;
                tensors.Add(output);
            }
        }
        catch
        {
            tensors.ForEach(t => t.Dispose());
            throw;
        }

        return new InferResult(key.Target, key.Revision, request.Id, tensors);
    }

    /// <summary>Every output the model can give (graph output first, then its anomaly columns).</summary>
    public static IEnumerable<string> OutputNames(ModelSignature signature) => [signature.OutputName, .. signature.AnomalyOutputs];

    private static (DataFrame X, DataFrame? Y) TakeInputs(ModelSignature signature, InferRequest request)
    {
        InferInput? x = null;
        InferInput? y = null;
        foreach (var input in request.Inputs)
        {
            if (input.Name == signature.InputName && x is null)
            {
                x = input;
            }
            else if (input.Name == TargetsInput && signature.IsAnomalyModel && y is null)
            {
                y = input;
            }
            else
            {
                throw Invalid(input.Name == signature.InputName || input.Name == TargetsInput
                    ? $"Input '{input.Name}' is given twice."
                    : $"Unknown input '{input.Name}': the model takes '{signature.InputName}'{(signature.IsAnomalyModel ? $" and '{TargetsInput}'" : string.Empty)}.");
            }
        }

        if (x is null)
        {
            throw Invalid($"The model's input '{signature.InputName}' ({Describe(signature.InputIsDouble, signature.Tags.Length)}) is missing.");
        }

        var expected = signature.InputIsDouble ? TensorDatatype.FP64 : TensorDatatype.FP32;
        if (x.Datatype != expected)
        {
            throw Invalid($"Input '{x.Name}' has datatype {x.Datatype}; the model takes {expected}.");
        }

        var rows = CheckMatrix(x, signature.Tags.Length, "tags");
        var yRows = y is null ? 0 : CheckMatrix(y, signature.Targets.Length, "target tags");
        var xFrame = Frame(x, rows, signature.Tags.Length);
        try
        {
            return (xFrame, y is null ? null : Frame(y, yRows, signature.Targets.Length));
        }
        catch
        {
            xFrame.Dispose();
            throw;
        }
    }

    private static int CheckMatrix(InferInput input, int columns, string what)
    {
        if (input.Shape.Length != 2 || input.Shape[1] != columns)
        {
            throw Invalid($"Input '{input.Name}' has shape [{string.Join(", ", input.Shape)}]; the model takes [rows, {columns}] (one column per {what}).");
        }

        if (input.Shape[0] < 1)
        {
            throw Invalid($"Input '{input.Name}' has no rows.");
        }

        return (int)input.Shape[0];
    }

    private static DataFrame Frame(InferInput input, int rows, int columns)
    {
        var names = new string[columns];
        for (var i = 0; i < columns; i++)
        {
            names[i] = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return new DataFrame(names, positionalColumns: true, FrameIndex.Range(rows), input.TakeValues());
    }

    private static List<RequestedOutput> SelectOutputs(ModelSignature signature, InferRequest request, bool hasTargets)
    {
        if (request.Outputs is not { Count: > 0 } asked)
        {
            // All the model gives from what it was given: the graph output, and the anomaly route's columns when y came.
            var all = new List<RequestedOutput> { new(signature.OutputName, null) };
            if (hasTargets)
            {
                all.AddRange(signature.AnomalyOutputs.Where(o => !o.StartsWith("smooth-", StringComparison.Ordinal)).Select(o => new RequestedOutput(o, null)));
            }

            return all;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in asked)
        {
            if (!seen.Add(output.Name))
            {
                throw Invalid($"Output '{output.Name}' is asked for twice.");
            }

            if (output.Name != signature.OutputName && !signature.AnomalyOutputs.Contains(output.Name))
            {
                throw Invalid($"Unknown output '{output.Name}': the model gives {string.Join(", ", OutputNames(signature).Select(n => $"'{n}'"))}.");
            }

            if (output.Name != signature.OutputName && !hasTargets)
            {
                throw Invalid($"Output '{output.Name}' compares the model's output with the '{TargetsInput}' input, which is missing.");
            }
        }

        return asked;
    }

    /// <summary>A result group as a row-major tensor: the graph output in the graph's datatype, anomaly columns as FP64.</summary>
    private static InferOutput ToTensor(ModelSignature signature, ResultFrame result, string name)
    {
        var graphOutput = name == signature.OutputName;
        var groupName = graphOutput ? ModelOutputGroup : name;
        ResultColumnGroup? group = null;
        foreach (var candidate in result.Groups)
        {
            if (candidate.Name == groupName)
            {
                group = candidate;
                break;
            }
        }

        if (group is null)
        {
            throw new InvalidOperationException($"The model's answer has no '{groupName}' group.");
        }

        var rows = group.RowCount;
        var width = group.SubNames.Length;
        var values = PooledArrays.Rent<double>(Math.Max(1, rows * width));
        for (var c = 0; c < width; c++)
        {
            var column = group.Column(c);
            for (var r = 0; r < rows; r++)
            {
                values[(r * width) + c] = column[r];
            }
        }

        long[] shape = !graphOutput && ModelSignature.IsSingleColumn(name) ? [rows] : [rows, width];
        var datatype = graphOutput && !signature.OutputIsDouble ? TensorDatatype.FP32 : TensorDatatype.FP64;
        return new InferOutput(name, datatype, shape, values, rows * width);
    }

    private static string Describe(bool isDouble, int columns) => $"{(isDouble ? "FP64" : "FP32")} [-1, {columns}]";

    private static InvalidFrameException Invalid(string message) => new(message, "error");
}
