namespace Gordo.Frames.Parquet;

/// <summary>
/// The parts of Parquet's Thrift metadata (parquet.thrift) that Gordo reads and writes: the file
/// footer, the schema, row groups, column chunks and page headers. Field ids are the specification's.
/// Everything else in a footer is skipped.
/// </summary>
internal static class ParquetMetadata
{
    public enum PhysicalType { Boolean = 0, Int32 = 1, Int64 = 2, Int96 = 3, Float = 4, Double = 5, ByteArray = 6, FixedLenByteArray = 7 }

    public enum Repetition { Required = 0, Optional = 1, Repeated = 2 }

    public enum Codec { Uncompressed = 0, Snappy = 1, Gzip = 2, Lzo = 3, Brotli = 4, Lz4 = 5, Zstd = 6, Lz4Raw = 7 }

    public enum PageEncoding { Plain = 0, PlainDictionary = 2, Rle = 3, BitPacked = 4, DeltaBinaryPacked = 5, DeltaLengthByteArray = 6, DeltaByteArray = 7, RleDictionary = 8, ByteStreamSplit = 9 }

    public enum PageType { DataPage = 0, IndexPage = 1, DictionaryPage = 2, DataPageV2 = 3 }

    /// <summary>Legacy ConvertedType values Gordo interprets.</summary>
    public enum ConvertedType { Utf8 = 0, Decimal = 5, Date = 6, TimestampMillis = 9, TimestampMicros = 10, Int8 = 15, Int16 = 16, Int32 = 17, Int64 = 18, Uint8 = 11, Uint16 = 12, Uint32 = 13, Uint64 = 14 }

    /// <summary>LogicalType union members (field ids).</summary>
    public enum LogicalKind { None = 0, String = 1, Map = 2, List = 3, Enum = 4, Decimal = 5, Date = 6, Time = 7, Timestamp = 8, Integer = 10, Null = 11, Json = 12, Bson = 13, Uuid = 14, Float16 = 15, Other = 99 }

    public enum TimeUnit { Millis = 1, Micros = 2, Nanos = 3 }

    public sealed class FileMetaData
    {
        public int Version { get; set; }

        public List<SchemaElement> Schema { get; } = [];

        public long NumRows { get; set; }

        public List<RowGroup> RowGroups { get; } = [];

        public List<KeyValuePair<string, string?>> KeyValueMetadata { get; } = [];

        public string? CreatedBy { get; set; }

        public bool Encrypted { get; set; }
    }

    public sealed class SchemaElement
    {
        public PhysicalType? Type { get; set; }

        public int TypeLength { get; set; }

        public Repetition? Repetition { get; set; }

        public string Name { get; set; } = string.Empty;

        public int NumChildren { get; set; }

        public int? ConvertedType { get; set; }

        public LogicalKind Logical { get; set; }

        public bool TimestampAdjustedToUtc { get; set; }

        public TimeUnit TimestampUnit { get; set; }

        public int IntegerBitWidth { get; set; }

        public bool IntegerSigned { get; set; } = true;
    }

    public sealed class RowGroup
    {
        public List<ColumnChunk> Columns { get; } = [];

        public long NumRows { get; set; }
    }

    public sealed class ColumnChunk
    {
        public string? FilePath { get; set; }

        public PhysicalType Type { get; set; }

        public List<string> Path { get; } = [];

        public Codec Codec { get; set; }

        public long NumValues { get; set; }

        public long TotalCompressedSize { get; set; }

        public long DataPageOffset { get; set; }

        public long? DictionaryPageOffset { get; set; }

        public bool HasMetaData { get; set; }
    }

    public sealed class PageHeader
    {
        public PageType Type { get; set; }

        public int UncompressedSize { get; set; }

        public int CompressedSize { get; set; }

        public int NumValues { get; set; }

        public PageEncoding Encoding { get; set; }

        public PageEncoding DefinitionLevelEncoding { get; set; } = PageEncoding.Rle;

        /// <summary>Data page v2: nulls, rows, level lengths, and whether the values section is compressed.</summary>
        public int NumNulls { get; set; }

        public int NumRows { get; set; }

        public int DefinitionLevelsLength { get; set; }

        public int RepetitionLevelsLength { get; set; }

        public bool IsCompressed { get; set; } = true;

        public bool HasTypeHeader { get; set; }
    }

    public static FileMetaData ReadFileMetaData(ReadOnlySpan<byte> footer)
    {
        var reader = new ThriftCompactReader(footer);
        var file = new FileMetaData();
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    file.Version = reader.ReadI32(type);
                    break;
                case 2:
                    {
                        var count = reader.ReadListHeader(type, out var element);
                        ThriftCompactReader.ExpectStructElement(element);
                        for (var i = 0; i < count; i++)
                        {
                            file.Schema.Add(ReadSchemaElement(ref reader));
                        }

                        break;
                    }

                case 3:
                    file.NumRows = reader.ReadI64(type);
                    break;
                case 4:
                    {
                        var count = reader.ReadListHeader(type, out var element);
                        ThriftCompactReader.ExpectStructElement(element);
                        for (var i = 0; i < count; i++)
                        {
                            file.RowGroups.Add(ReadRowGroup(ref reader));
                        }

                        break;
                    }

                case 5:
                    {
                        var count = reader.ReadListHeader(type, out var element);
                        ThriftCompactReader.ExpectStructElement(element);
                        for (var i = 0; i < count; i++)
                        {
                            file.KeyValueMetadata.Add(ReadKeyValue(ref reader));
                        }

                        break;
                    }

                case 6:
                    file.CreatedBy = reader.ReadString(type);
                    break;
                case 8:
                    file.Encrypted = true;
                    reader.Skip(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        reader.LeaveStruct();
        return file;
    }

    /// <summary>Reads a page header at the start of <paramref name="data"/>; <paramref name="length"/> is its size in bytes.</summary>
    public static PageHeader ReadPageHeader(ReadOnlySpan<byte> data, out int length)
    {
        var reader = new ThriftCompactReader(data);
        var page = new PageHeader();
        reader.EnterStruct();
        short last = 0;
        var sawType = false;
        while (reader.NextField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    page.Type = (PageType)reader.ReadI32(type);
                    sawType = true;
                    break;
                case 2:
                    page.UncompressedSize = reader.ReadI32(type);
                    break;
                case 3:
                    page.CompressedSize = reader.ReadI32(type);
                    break;
                case 5:
                    ReadDataPageHeader(ref reader, type, page);
                    break;
                case 7:
                    ReadDictionaryPageHeader(ref reader, type, page);
                    break;
                case 8:
                    ReadDataPageHeaderV2(ref reader, type, page);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        reader.LeaveStruct();
        if (!sawType || page.UncompressedSize < 0 || page.CompressedSize < 0)
        {
            throw new ParquetFormatException("A page header lacks its type or has a negative size.");
        }

        length = reader.Position;
        return page;
    }

    private static void ReadDataPageHeader(ref ThriftCompactReader reader, byte type, PageHeader page)
    {
        if (type != ThriftCompactReader.Struct)
        {
            reader.Skip(type);
            return;
        }

        page.HasTypeHeader = true;
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var fieldType))
        {
            switch (id)
            {
                case 1:
                    page.NumValues = reader.ReadI32(fieldType);
                    break;
                case 2:
                    page.Encoding = (PageEncoding)reader.ReadI32(fieldType);
                    break;
                case 3:
                    page.DefinitionLevelEncoding = (PageEncoding)reader.ReadI32(fieldType);
                    break;
                default:
                    reader.Skip(fieldType);
                    break;
            }
        }

        reader.LeaveStruct();
    }

    private static void ReadDictionaryPageHeader(ref ThriftCompactReader reader, byte type, PageHeader page)
    {
        if (type != ThriftCompactReader.Struct)
        {
            reader.Skip(type);
            return;
        }

        page.HasTypeHeader = true;
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var fieldType))
        {
            switch (id)
            {
                case 1:
                    page.NumValues = reader.ReadI32(fieldType);
                    break;
                case 2:
                    page.Encoding = (PageEncoding)reader.ReadI32(fieldType);
                    break;
                default:
                    reader.Skip(fieldType);
                    break;
            }
        }

        reader.LeaveStruct();
    }

    private static void ReadDataPageHeaderV2(ref ThriftCompactReader reader, byte type, PageHeader page)
    {
        if (type != ThriftCompactReader.Struct)
        {
            reader.Skip(type);
            return;
        }

        page.HasTypeHeader = true;
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var fieldType))
        {
            switch (id)
            {
                case 1:
                    page.NumValues = reader.ReadI32(fieldType);
                    break;
                case 2:
                    page.NumNulls = reader.ReadI32(fieldType);
                    break;
                case 3:
                    page.NumRows = reader.ReadI32(fieldType);
                    break;
                case 4:
                    page.Encoding = (PageEncoding)reader.ReadI32(fieldType);
                    break;
                case 5:
                    page.DefinitionLevelsLength = reader.ReadI32(fieldType);
                    break;
                case 6:
                    page.RepetitionLevelsLength = reader.ReadI32(fieldType);
                    break;
                case 7:
                    page.IsCompressed = ThriftCompactReader.FieldBool(fieldType);
                    break;
                default:
                    reader.Skip(fieldType);
                    break;
            }
        }

        reader.LeaveStruct();
    }

    private static SchemaElement ReadSchemaElement(ref ThriftCompactReader reader)
    {
        var element = new SchemaElement();
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    element.Type = (PhysicalType)reader.ReadI32(type);
                    break;
                case 2:
                    element.TypeLength = reader.ReadI32(type);
                    break;
                case 3:
                    element.Repetition = (Repetition)reader.ReadI32(type);
                    break;
                case 4:
                    element.Name = reader.ReadString(type);
                    break;
                case 5:
                    element.NumChildren = reader.ReadI32(type);
                    break;
                case 6:
                    element.ConvertedType = reader.ReadI32(type);
                    break;
                case 10:
                    ReadLogicalType(ref reader, type, element);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        reader.LeaveStruct();
        return element;
    }

    private static void ReadLogicalType(ref ThriftCompactReader reader, byte type, SchemaElement element)
    {
        if (type != ThriftCompactReader.Struct)
        {
            reader.Skip(type);
            return;
        }

        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var fieldType))
        {
            switch (id)
            {
                case 8 when fieldType == ThriftCompactReader.Struct:
                    element.Logical = LogicalKind.Timestamp;
                    ReadTimestampType(ref reader, element);
                    break;
                case 10 when fieldType == ThriftCompactReader.Struct:
                    element.Logical = LogicalKind.Integer;
                    ReadIntType(ref reader, element);
                    break;
                default:
                    element.Logical = Enum.IsDefined((LogicalKind)id) ? (LogicalKind)id : LogicalKind.Other;
                    reader.Skip(fieldType);
                    break;
            }
        }

        reader.LeaveStruct();
    }

    private static void ReadTimestampType(ref ThriftCompactReader reader, SchemaElement element)
    {
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    element.TimestampAdjustedToUtc = ThriftCompactReader.FieldBool(type);
                    break;
                case 2 when type == ThriftCompactReader.Struct:
                    {
                        reader.EnterStruct();
                        short unitLast = 0;
                        while (reader.NextField(ref unitLast, out var unit, out var unitType))
                        {
                            element.TimestampUnit = unit is >= 1 and <= 3 ? (TimeUnit)unit : throw new ParquetFormatException($"Unknown timestamp unit {unit}.");
                            reader.Skip(unitType);
                        }

                        reader.LeaveStruct();
                        break;
                    }

                default:
                    reader.Skip(type);
                    break;
            }
        }

        reader.LeaveStruct();
    }

    private static void ReadIntType(ref ThriftCompactReader reader, SchemaElement element)
    {
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    element.IntegerBitWidth = reader.ReadI8(type);
                    break;
                case 2:
                    element.IntegerSigned = ThriftCompactReader.FieldBool(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        reader.LeaveStruct();
    }

    private static RowGroup ReadRowGroup(ref ThriftCompactReader reader)
    {
        var group = new RowGroup();
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    {
                        var count = reader.ReadListHeader(type, out var element);
                        ThriftCompactReader.ExpectStructElement(element);
                        for (var i = 0; i < count; i++)
                        {
                            group.Columns.Add(ReadColumnChunk(ref reader));
                        }

                        break;
                    }

                case 3:
                    group.NumRows = reader.ReadI64(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        reader.LeaveStruct();
        return group;
    }

    private static ColumnChunk ReadColumnChunk(ref ThriftCompactReader reader)
    {
        var chunk = new ColumnChunk();
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    chunk.FilePath = reader.ReadString(type);
                    break;
                case 3 when type == ThriftCompactReader.Struct:
                    chunk.HasMetaData = true;
                    ReadColumnMetaData(ref reader, chunk);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        reader.LeaveStruct();
        return chunk;
    }

    private static void ReadColumnMetaData(ref ThriftCompactReader reader, ColumnChunk chunk)
    {
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    chunk.Type = (PhysicalType)reader.ReadI32(type);
                    break;
                case 3:
                    {
                        var count = reader.ReadListHeader(type, out var element);
                        for (var i = 0; i < count; i++)
                        {
                            chunk.Path.Add(reader.ReadString(element));
                        }

                        break;
                    }

                case 4:
                    chunk.Codec = (Codec)reader.ReadI32(type);
                    break;
                case 5:
                    chunk.NumValues = reader.ReadI64(type);
                    break;
                case 7:
                    chunk.TotalCompressedSize = reader.ReadI64(type);
                    break;
                case 9:
                    chunk.DataPageOffset = reader.ReadI64(type);
                    break;
                case 11:
                    chunk.DictionaryPageOffset = reader.ReadI64(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        reader.LeaveStruct();
    }

    private static KeyValuePair<string, string?> ReadKeyValue(ref ThriftCompactReader reader)
    {
        string? key = null, value = null;
        reader.EnterStruct();
        short last = 0;
        while (reader.NextField(ref last, out var id, out var type))
        {
            switch (id)
            {
                case 1:
                    key = reader.ReadString(type);
                    break;
                case 2:
                    value = reader.ReadString(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }

        reader.LeaveStruct();
        return new(key ?? throw new ParquetFormatException("A key-value metadata entry has no key."), value);
    }
}
