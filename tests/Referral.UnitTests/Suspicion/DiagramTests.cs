using Referral.Modules.Suspicion;

namespace Referral.UnitTests.Suspicion;

/// <summary>
/// The Mermaid diagram in docs/manual is generated from the state machine. This test fails when the committed diagram
/// is stale; run it with UPDATE_DOCS=1 to rewrite it.
/// </summary>
public sealed class DiagramTests
{
    [Fact]
    public void Suspicion_diagram_in_docs_matches_the_state_machine()
    {
        var diagram = SuspicionWorkflow.Diagram();
        Assert.Contains("Registered --> UnderAssessment", diagram, StringComparison.Ordinal);
        Assert.Contains(SuspicionWorkflow.Guards.ReferralConsent, diagram, StringComparison.Ordinal);
        Docs.AssertCurrent(Path.Combine("docs", "manual", "diagrams", "suspicion.mmd"), diagram);
        Docs.AssertEmbedded(Path.Combine("docs", "manual", "suspicion.md"), "suspicion", diagram);
    }
}

/// <summary>Compares generated documentation with the committed file (or rewrites it under UPDATE_DOCS=1).</summary>
public static class Docs
{
    public static void AssertCurrent(string relativePath, string generated)
    {
        var path = Path.Combine(RepositoryRoot(), relativePath);
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1" && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{relativePath} is missing: run the unit tests with UPDATE_DOCS=1 and commit it.");
        Assert.True(File.ReadAllText(path) == generated,
            $"{relativePath} is stale: the state machine changed. Run the unit tests with UPDATE_DOCS=1 and commit the result.");
    }

    /// <summary>The step page shows the same diagram between <c>&lt;!-- diagram:NAME:begin --&gt;</c> and <c>&lt;!-- diagram:NAME:end --&gt;</c>.</summary>
    public static void AssertEmbedded(string relativePath, string name, string generated)
    {
        var Begin = $"<!-- diagram:{name}:begin -->\n```mermaid\n";
        var End = $"```\n<!-- diagram:{name}:end -->";
        var path = Path.Combine(RepositoryRoot(), relativePath);
        var page = File.ReadAllText(path);
        var start = page.IndexOf(Begin, StringComparison.Ordinal);
        var end = start < 0 ? -1 : page.IndexOf(End, start, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"{relativePath} has no diagram block.");
        var current = page[(start + Begin.Length)..end];
        if (current != generated && Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1" && Environment.GetEnvironmentVariable("CI") != "true")
        {
            File.WriteAllText(path, page[..(start + Begin.Length)] + generated + page[end..]);
            return;
        }

        Assert.True(current == generated, $"The diagram in {relativePath} is stale. Run the unit tests with UPDATE_DOCS=1 and commit the result.");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Referral.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Referral.sln not found above the test folder.");
    }
}
