using CommandCenter.Web.Tests.Security;
using Xunit.Abstractions;

// One collection at a time (the suite runs on 2 cores anyway), and the log scan last: it reads what all the others logged.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestCollectionOrderer("CommandCenter.Web.Tests.Security.LogScanLastOrderer", "CommandCenter.Web.Tests")]

namespace CommandCenter.Web.Tests.Security;

/// <summary>Keeps xunit's order of collections but moves <see cref="LogScanCollection.Name"/> to the end.</summary>
public sealed class LogScanLastOrderer : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var all = testCollections.ToList();
        return all.Where(c => c.DisplayName != LogScanCollection.Name).Concat(all.Where(c => c.DisplayName == LogScanCollection.Name));
    }
}

[CollectionDefinition(Name)]
public sealed class LogScanCollection
{
    public const string Name = "zz-log-scan";
}
