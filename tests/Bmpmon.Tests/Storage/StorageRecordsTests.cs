using Bmpmon.Core.Storage;
using Bmpmond.Storage;
using Xunit.Abstractions;

namespace Bmpmon.Tests.Storage;

/// <summary>The writer's record buffer read back: the passes that skip records must land where reading them does.</summary>
public sealed class StorageRecordsTests(ITestOutputHelper output)
{
    [FixtureFact]
    public void Skipping_a_route_record_lands_where_reading_it_does_for_every_route_of_the_captures()
    {
        var root = Fixtures.RequireRoot();

        long routes = 0;
        var keyLengths = new HashSet<int>();
        foreach (var (name, payload) in FixtureStreams.FromCaptures(root))
        {
            using var session = new TestSession(name);
            var bytes = session.Next(payload);
            var c = new SpanCursor(bytes);
            while (!c.AtEnd)
            {
                var kind = (StorageRecordKind)c.U8();
                if (kind != StorageRecordKind.Route)
                {
                    StorageRecords.Skip(ref c, kind);
                    continue;
                }

                var skipped = c;
                RouteRecord.Skip(ref skipped);
                var r = RouteRecord.Read(ref c);
                Assert.Equal(c.Position, skipped.Position);
                keyLengths.Add(r.Key.Length);
                routes++;
            }
        }

        output.WriteLine($"{routes} route records, key lengths {string.Join(", ", keyLengths.Order())}");
        Assert.True(routes > 10_000);
        Assert.True(keyLengths.Count > 5, "keys of several families, with and without RD, path id and EVPN fields");
    }
}
