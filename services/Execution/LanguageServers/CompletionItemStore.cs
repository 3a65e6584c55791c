using System.Text.Json.Nodes;

namespace WebIde.Execution.LanguageServers;

/// <summary>
/// The completion items of the latest lists, as the server sent them. A client's
/// <c>completionItem/resolve</c> names one by the number the relay gave it in place of the server's own
/// <c>data</c> (which holds server paths, as typescript-language-server's does): the server is asked
/// about exactly the item it made, and nothing a client writes into an item reaches it.
/// </summary>
public sealed class CompletionItemStore
{
    /// <summary>Lists kept: a resolve may still come for the list before the newest.</summary>
    private const int ListsKept = 2;

    private readonly Queue<List<long>> _lists = new();
    private readonly Dictionary<long, JsonNode> _items = [];
    private long _next;

    public const string RelayKey = "webideItem";

    /// <summary>Starts a new list: items of lists older than the last <see cref="ListsKept"/> are forgotten.</summary>
    public void BeginList()
    {
        _lists.Enqueue([]);
        while (_lists.Count > ListsKept)
        {
            foreach (var number in _lists.Dequeue())
            {
                _items.Remove(number);
            }
        }
    }

    /// <summary>Keeps the server's item and returns the number the client gets for it.</summary>
    public long Keep(JsonNode serverItem)
    {
        if (_lists.Count == 0)
        {
            BeginList();
        }
        var number = ++_next;
        _items[number] = serverItem.DeepClone();
        _lists.Last().Add(number);
        return number;
    }

    public JsonNode? Find(long number) => _items.TryGetValue(number, out var item) ? item.DeepClone() : null;
}
