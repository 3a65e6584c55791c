using System.Text;
using MongoDB.Bson;

namespace WebIde.FileSystem.UnitTests.Storage.MongoEmulator;

/// <summary>
/// Evaluates rendered filters, updates, sorts and projections on documents in memory, as the
/// MongoDB manual describes them, for the operators the filesystem adapter sends; anything
/// else throws, so the emulator never silently guesses. Values compare as the server compares
/// them: numbers by value whatever their width, strings by their UTF-8 bytes, and a range
/// operator never matches a value of another type (nor a missing field).
/// </summary>
internal static class BsonQuery
{
    public static bool Matches(BsonDocument document, BsonDocument filter) => filter.All(element => element.Name switch
    {
        "$and" => element.Value.AsBsonArray.All(clause => Matches(document, clause.AsBsonDocument)),
        "$or" => element.Value.AsBsonArray.Any(clause => Matches(document, clause.AsBsonDocument)),
        "$nor" => !element.Value.AsBsonArray.Any(clause => Matches(document, clause.AsBsonDocument)),
        var name when name.StartsWith('$') => throw new NotSupportedException($"The emulator has no top-level {name}."),
        var name => FieldMatches(Field(document, name), element.Value),
    });

    /// <summary>The update as the server applies it; <paramref name="inserting"/>: to a document an upsert creates.</summary>
    public static void Apply(BsonDocument document, BsonValue update, bool inserting)
    {
        if (update is not BsonDocument operators)
        {
            throw new NotSupportedException("The emulator has no pipeline updates.");
        }

        foreach (var (name, fields) in operators.Select(element => (element.Name, element.Value.AsBsonDocument)))
        {
            foreach (var field in fields)
            {
                var current = Field(document, field.Name);
                switch (name)
                {
                    case "$set":
                        document[field.Name] = field.Value;
                        break;
                    case "$setOnInsert" when inserting:
                        document[field.Name] = field.Value;
                        break;
                    case "$setOnInsert":
                        break;
                    case "$unset":
                        document.Remove(field.Name);
                        break;
                    case "$inc":
                        document[field.Name] = Add(current ?? new BsonInt32(0), field.Value);
                        break;
                    case "$max" when current is null || SortCompare(field.Value, current) > 0:
                        document[field.Name] = field.Value;
                        break;
                    case "$max":
                        break;
                    case "$min" when current is null || SortCompare(field.Value, current) < 0:
                        document[field.Name] = field.Value;
                        break;
                    case "$min":
                        break;
                    default:
                        throw new NotSupportedException($"The emulator has no update operator {name}.");
                }
            }
        }
    }

    /// <summary>What an upsert starts from: the filter's equality conditions (<c>_id</c> among them).</summary>
    public static BsonDocument Seed(BsonDocument filter)
    {
        var seed = new BsonDocument();
        foreach (var element in filter)
        {
            if (element.Name == "$and")
            {
                foreach (var clause in element.Value.AsBsonArray)
                {
                    seed.Merge(Seed(clause.AsBsonDocument), overwriteExistingElements: true);
                }
            }
            else if (!element.Name.StartsWith('$') && !IsOperatorDocument(element.Value))
            {
                seed[element.Name] = element.Value;
            }
        }
        return seed;
    }

    public static BsonDocument Project(BsonDocument document, BsonDocument? projection)
    {
        var copy = document.DeepClone().AsBsonDocument;
        if (projection is null || projection.ElementCount == 0)
        {
            return copy;
        }

        var inclusive = projection.Any(element => element.Name != "_id" && element.Value.ToBoolean());
        if (!inclusive)
        {
            foreach (var element in projection.Where(element => !element.Value.ToBoolean()))
            {
                copy.Remove(element.Name);
            }
            return copy;
        }

        var kept = new BsonDocument();
        foreach (var element in copy.Where(element =>
            element.Name == "_id" ? projection.GetValue("_id", true).ToBoolean() : projection.GetValue(element.Name, false).ToBoolean()))
        {
            kept.Add(element);
        }
        return kept;
    }

    public static int Compare(BsonDocument left, BsonDocument right, BsonDocument sort)
    {
        foreach (var key in sort)
        {
            var order = SortCompare(Field(left, key.Name), Field(right, key.Name));
            if (order != 0)
            {
                return key.Value.ToInt32() < 0 ? -order : order;
            }
        }
        return 0;
    }

    /// <summary>Whether two values are the same for a unique index: missing counts as null.</summary>
    public static bool SameKey(BsonValue? left, BsonValue? right) => SortCompare(left, right) == 0;

    /// <summary>The server's sort order: null (and missing) before numbers, strings, documents, binary, booleans, dates.</summary>
    public static int SortCompare(BsonValue? left, BsonValue? right)
    {
        var (leftRank, rightRank) = (Rank(left), Rank(right));
        return leftRank != rightRank ? leftRank.CompareTo(rightRank) : CompareSameType(left ?? BsonNull.Value, right ?? BsonNull.Value) ?? 0;
    }

    private static BsonValue? Field(BsonDocument document, string name) =>
        name.Contains('.', StringComparison.Ordinal)
            ? throw new NotSupportedException($"The emulator has no dotted paths ({name}).")
            : document.TryGetValue(name, out var value) ? value : null;

    private static bool IsOperatorDocument(BsonValue value) =>
        value is BsonDocument { ElementCount: > 0 } document && document.GetElement(0).Name.StartsWith('$');

    private static bool FieldMatches(BsonValue? value, BsonValue condition) =>
        IsOperatorDocument(condition)
            ? condition.AsBsonDocument.All(element => OperatorMatches(value, element.Name, element.Value))
            : EqualTo(value, condition);

    private static bool OperatorMatches(BsonValue? value, string name, BsonValue operand) => name switch
    {
        "$eq" => EqualTo(value, operand),
        "$ne" => !EqualTo(value, operand),
        "$gt" => CompareInRange(value, operand) > 0,
        "$gte" => CompareInRange(value, operand) >= 0,
        "$lt" => CompareInRange(value, operand) < 0,
        "$lte" => CompareInRange(value, operand) <= 0,
        "$in" => operand.AsBsonArray.Any(candidate => EqualTo(value, candidate)),
        "$nin" => !operand.AsBsonArray.Any(candidate => EqualTo(value, candidate)),
        // Also true where the field is missing or of another type.
        "$not" => !FieldMatches(value, operand),
        "$exists" => value is not null == operand.ToBoolean(),
        _ => throw new NotSupportedException($"The emulator has no query operator {name}."),
    };

    /// <summary><c>{ field: null }</c> matches a missing field too.</summary>
    private static bool EqualTo(BsonValue? value, BsonValue operand) =>
        operand.IsBsonNull ? value is null || value.IsBsonNull : value is not null && CompareInRange(value, operand) == 0;

    /// <summary>Null when the two cannot be compared by a query operator (different types, or nothing there).</summary>
    private static int? CompareInRange(BsonValue? value, BsonValue operand) =>
        value is null || Rank(value) != Rank(operand) ? null : CompareSameType(value, operand);

    private static int? CompareSameType(BsonValue left, BsonValue right) => left.BsonType switch
    {
        _ when left.IsNumeric && right.IsNumeric => left.ToDecimal().CompareTo(right.ToDecimal()),
        BsonType.Null => 0,
        BsonType.String => Encoding.UTF8.GetBytes(left.AsString).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right.AsString)),
        BsonType.DateTime => left.AsBsonDateTime.MillisecondsSinceEpoch.CompareTo(right.AsBsonDateTime.MillisecondsSinceEpoch),
        BsonType.Boolean => left.AsBoolean.CompareTo(right.AsBoolean),
        BsonType.Binary => left.AsBsonBinaryData.Bytes.AsSpan().SequenceCompareTo(right.AsBsonBinaryData.Bytes),
        BsonType.ObjectId => left.AsObjectId.CompareTo(right.AsObjectId),
        _ => throw new NotSupportedException($"The emulator does not compare {left.BsonType} values."),
    };

    private static int Rank(BsonValue? value) => value switch
    {
        null => 1,
        { IsBsonNull: true } => 1,
        { IsNumeric: true } => 2,
        { BsonType: BsonType.String } => 3,
        { BsonType: BsonType.Document } => 4,
        { BsonType: BsonType.Array } => 5,
        { BsonType: BsonType.Binary } => 6,
        { BsonType: BsonType.ObjectId } => 7,
        { BsonType: BsonType.Boolean } => 8,
        { BsonType: BsonType.DateTime } => 9,
        _ => throw new NotSupportedException($"The emulator does not order {value.BsonType} values."),
    };

    private static BsonValue Add(BsonValue current, BsonValue increment) => (current, increment) switch
    {
        (BsonInt32 left, BsonInt32 right) => new BsonInt32(checked(left.Value + right.Value)),
        ({ IsInt32: true } or { IsInt64: true }, { IsInt32: true } or { IsInt64: true }) => new BsonInt64(checked(current.ToInt64() + increment.ToInt64())),
        _ when current.IsNumeric && increment.IsNumeric => new BsonDouble(current.ToDouble() + increment.ToDouble()),
        _ => throw new InvalidOperationException($"$inc of a {current.BsonType} field."),
    };
}
