namespace WebIde.Ot.UnitTests;

public sealed class BuilderTests
{
    private static TextOperationBuilder Build() => TextOperation.CreateBuilder();

    [Test]
    public void Neighbours_of_one_kind_merge()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Build().Retain(2).Retain(3).ToOperation().ToJson(), Is.EqualTo("[5]"));
            Assert.That(Build().Insert("ab").Insert("c").ToOperation().ToJson(), Is.EqualTo("""["abc"]"""));
            Assert.That(Build().Delete(1).Delete(4).ToOperation().ToJson(), Is.EqualTo("[-5]"));
        });
    }

    [Test]
    public void An_insert_after_a_delete_goes_before_it()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Build().Retain(1).Delete(2).Insert("x").ToOperation().ToJson(), Is.EqualTo("""[1,"x",-2]"""));
            Assert.That(Build().Insert("a").Delete(1).Insert("b").ToOperation().ToJson(), Is.EqualTo("""["ab",-1]"""));
            Assert.That(Build().Delete(1).Insert("a").Delete(1).Insert("b").Retain(1).ToOperation().ToJson(), Is.EqualTo("""["ab",-2,1]"""));
        });
    }

    [Test]
    public void Empty_steps_add_nothing()
    {
        var operation = Build().Retain(0).Insert(string.Empty).Delete(0).ToOperation();

        Assert.Multiple(() =>
        {
            Assert.That(operation, Is.EqualTo(TextOperation.Empty));
            Assert.That(operation.Components, Is.Empty);
            Assert.That(operation.IsNoop, Is.True);
        });
    }

    [Test]
    public void Invalid_steps_are_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => Build().Retain(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Build().Delete(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => Build().Insert(null!), Throws.TypeOf<ArgumentNullException>());
            Assert.That(() => new RetainOp(0), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new DeleteOp(-2), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => new InsertOp(string.Empty), Throws.ArgumentException);
            Assert.That(() => Build().Retain(int.MaxValue).Retain(1), Throws.TypeOf<OverflowException>());
        });
    }

    [Test]
    public void Lengths_count_utf16_code_units()
    {
        var operation = Build().Retain(2).Insert("😀").Delete(3).ToOperation();

        Assert.Multiple(() =>
        {
            Assert.That(operation.BaseLength, Is.EqualTo(5));
            Assert.That(operation.TargetLength, Is.EqualTo(4));
            Assert.That(operation.Apply("ab😀c"), Is.EqualTo("ab😀"));
        });
    }

    [TestCase("[]", true)]
    [TestCase("[5]", true)]
    [TestCase("""["a"]""", false)]
    [TestCase("[-1]", false)]
    [TestCase("""[1,"a"]""", false)]
    [TestCase("[1,-1,1]", false)]
    public void Only_an_empty_operation_or_a_lone_retain_is_a_noop(string json, bool noop) =>
        Assert.That(TextOperation.FromJson(json).IsNoop, Is.EqualTo(noop));

    [Test]
    public void Operations_with_the_same_effect_are_equal()
    {
        var one = Build().Retain(1).Delete(1).Insert("x").ToOperation();
        var other = Build().Retain(1).Insert("x").Delete(1).ToOperation();
        var different = Build().Retain(1).Insert("y").Delete(1).ToOperation();

        Assert.Multiple(() =>
        {
            Assert.That(one, Is.EqualTo(other));
            Assert.That(one == other, Is.True);
            Assert.That(one.GetHashCode(), Is.EqualTo(other.GetHashCode()));
            Assert.That(one, Is.Not.EqualTo(different));
            Assert.That(one != different, Is.True);
        });
    }

    [Test]
    public void Mismatched_lengths_are_refused_with_ot_js_messages()
    {
        var op = TextOperation.FromJson("""[2,"x"]""");

        Assert.Multiple(() =>
        {
            Assert.That(() => op.Apply("abc"), Throws.TypeOf<TextOperationException>()
                .With.Message.EqualTo("The operation's base length must be equal to the string's length."));
            Assert.That(() => TextOperation.Compose(op, op), Throws.TypeOf<TextOperationException>()
                .With.Message.EqualTo("The base length of the second operation has to be the target length of the first operation"));
            Assert.That(() => TextOperation.Transform(op, TextOperation.Empty), Throws.TypeOf<TextOperationException>()
                .With.Message.EqualTo("Both operations have to have the same base length"));
        });
    }

    [Test]
    public void Invert_refuses_a_document_of_the_wrong_length()
    {
        var op = TextOperation.FromJson("[1,-1]");

        Assert.That(() => op.Invert("abc"), Throws.TypeOf<TextOperationException>());
    }

    [Test]
    public void When_both_insert_at_one_place_the_first_operation_goes_first()
    {
        var a = TextOperation.FromJson("""["A",1]""");
        var b = TextOperation.FromJson("""["B",1]""");
        var (aPrime, bPrime) = TextOperation.Transform(a, b);

        Assert.Multiple(() =>
        {
            Assert.That(bPrime.Apply(a.Apply("x")), Is.EqualTo("ABx"));
            Assert.That(aPrime.Apply(b.Apply("x")), Is.EqualTo("ABx"));
        });
    }

    [Test]
    public void Compose_may_split_a_surrogate_pair_as_ot_js_does()
    {
        var insert = TextOperation.FromJson("""["😀"]""");
        var deleteHighHalf = TextOperation.FromJson("[-1,1]");
        var composed = TextOperation.Compose(insert, deleteHighHalf);

        Assert.Multiple(() =>
        {
            Assert.That(composed.ToJson(), Is.EqualTo("""["\ude00"]"""));
            Assert.That(composed.Apply(string.Empty), Is.EqualTo("\ude00"));
        });
    }
}
