using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Referral.BuildingBlocks.Contracts;
using Referral.IntegrationTests.Infrastructure;
using Referral.Modules.Audit;

namespace Referral.IntegrationTests.Audit;

/// <summary>
/// Signed checkpoints (issue 24): a database superuser who rewrites a whole stream and recomputes its chain is caught by
/// an earlier signed checkpoint, online and by the offline verifier on a fresh export; checkpoints are consistent with
/// each other, a foreign key's signature is rejected, a rewritten log breaks consistency, and a verification can require
/// a witness's copy. Real PostgreSQL; the superuser acts with plain SQL.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CheckpointTests(ApiFixture api) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("referral-checkpoints-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private HttpClient Auditor => api.Client(OrgType.Auditor, "audit-cp");

    private async Task<JsonNode> CheckpointAsync() =>
        await (await Auditor.PostAsync("/api/v1/audit/checkpoints", System.Net.Http.Json.JsonContent.Create(new { }))).ExpectAsync(HttpStatusCode.OK);

    private async Task<string> KeyFileAsync()
    {
        var response = await api.Client(null).GetAsync("/.well-known/referral-checkpoint-key");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pem = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----", pem, StringComparison.Ordinal);
        return Write("key.pem", pem);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private async Task<string> ExportAsync(string caseId, long checkpoint, string name) =>
        Write(name, await (await Auditor.GetAsync($"/api/v1/cases/{caseId}/audit/export?checkpoint={checkpoint}")).Content.ReadAsStringAsync());

    private static (int Exit, string Output) Offline(params string[] args)
    {
        using var output = new StringWriter();
        var exit = OfflineVerifier.Run(["audit", .. args], output);
        return (exit, output.ToString());
    }

    private async Task SqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql.Replace("{schema}", api.Schema, StringComparison.Ordinal), connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The superuser's rewrite: change an event with the trigger off, then recompute the stream's whole chain so it verifies again.</summary>
    private async Task RewriteStreamAsync(string caseId)
    {
        await SqlAsync($"""
            alter table {"{schema}"}.mt_events disable trigger audit_chain_link;
            update {"{schema}"}.mt_events set data = jsonb_set(data, '{"{municipalityCode}"}', '"2480"') where stream_id = '{caseId}' and version = 1;
            alter table {"{schema}"}.mt_events enable trigger audit_chain_link;
            """);
        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        var links = new List<(long Version, string Link)>();
        await using (var read = new NpgsqlCommand($"select version, type, data::text, user_name, headers::text from {api.Schema}.mt_events where stream_id = '{caseId}' order by version", connection))
        await using (var reader = await read.ExecuteReaderAsync())
        {
            string? previous = null;
            while (await reader.ReadAsync())
            {
                previous = AuditChain.Link(previous, Guid.Parse(caseId), reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4));
                links.Add((reader.GetInt64(0), previous));
            }
        }

        foreach (var (version, link) in links)
        {
            await using var update = new NpgsqlCommand($"update {api.Schema}.audit_chain set link = '{link}' where stream_id = '{caseId}' and version = {version}", connection);
            await update.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_superuser_who_rewrites_a_whole_stream_and_recomputes_its_chain_is_caught_by_an_earlier_signed_checkpoint_online_and_offline()
    {
        var police = api.Client(OrgType.Police, "pol-cp");
        var (caseId, _, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        await Cases.ConsentAsync(police, caseId, "ReferralToRegionalCoordinator");
        var checkpoint = await CheckpointAsync();
        var number = checkpoint["number"]!.GetValue<long>();
        var saved = Write("saved.json", checkpoint.ToJsonString());
        var key = await KeyFileAsync();

        var before = await (await Auditor.GetAsync($"/api/v1/cases/{caseId}/audit/verification?checkpoint={number}")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(before["intact"]!.GetValue<bool>(), before.ToJsonString());
        Assert.Equal((number, 2L), (before["checkpoint"]!.GetValue<long>(), before["checkpointedVersion"]!.GetValue<long>()));
        var (exit, output) = Offline("verify", await ExportAsync(caseId, number, "before.jsonl"), "--key", key, "--checkpoint", saved);
        Assert.True(exit == 0, output);
        Assert.Contains($"as signed in checkpoint {number}", output, StringComparison.Ordinal);

        await RewriteStreamAsync(caseId);

        // The chain alone no longer tells: it was recomputed and verifies.
        var chainOnly = await (await Auditor.GetAsync($"/api/v1/cases/{caseId}/audit/verification")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(chainOnly["intact"]!.GetValue<bool>());
        // The signed checkpoint does.
        var after = await (await Auditor.GetAsync($"/api/v1/cases/{caseId}/audit/verification?checkpoint={number}")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(after["intact"]!.GetValue<bool>());
        Assert.Contains("rewritten after the checkpoint", after.Str("reason"), StringComparison.Ordinal);
        (exit, output) = Offline("verify", await ExportAsync(caseId, number, "after.jsonl"), "--key", key, "--checkpoint", saved);
        Assert.Equal(1, exit);
        Assert.Contains("rewritten after the checkpoint", output, StringComparison.Ordinal);

        // Rewriting the checkpoint log's leaf to the new head as well is caught by the signed root, and no new checkpoint is
        // signed over the altered log (409, naming the rule). The log is put back afterwards for the other tests.
        var head = (await (await Auditor.GetAsync($"/api/v1/cases/{caseId}/audit/verification")).ExpectAsync(HttpStatusCode.OK)).Str("headLink");
        var data = System.Text.Encoding.UTF8.GetBytes($"{caseId}|2|{head}");
        await SqlAsync($"create table {{schema}}.leaf_backup as select * from {{schema}}.audit_log_leaves where stream_id = '{caseId}'");
        await SqlAsync($"update {{schema}}.audit_log_leaves set head = '{head}', hash = decode('{Convert.ToHexStringLower(Merkle.LeafHash(data))}', 'hex') where stream_id = '{caseId}'");
        try
        {
            var leafToo = await (await Auditor.GetAsync($"/api/v1/cases/{caseId}/audit/verification?checkpoint={number}")).ExpectAsync(HttpStatusCode.OK);
            Assert.False(leafToo["intact"]!.GetValue<bool>());
            Assert.Contains("not in checkpoint", leafToo.Str("reason"), StringComparison.Ordinal);
            (exit, output) = Offline("verify", await ExportAsync(caseId, number, "leaf.jsonl"), "--key", key, "--checkpoint", saved);
            Assert.Equal(1, exit);
            Assert.Contains("the checkpoint log was altered", output, StringComparison.Ordinal);
            await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
            var refused = await (await Auditor.PostAsync("/api/v1/audit/checkpoints", System.Net.Http.Json.JsonContent.Create(new { }))).ExpectAsync(HttpStatusCode.Conflict);
            Assert.Contains(CheckpointLog.LogMatchesLatest(number), refused["unmetGuards"].Strings());
        }
        finally
        {
            await SqlAsync("""
                update {schema}.audit_log_leaves l set head = b.head, hash = b.hash from {schema}.leaf_backup b where l.idx = b.idx;
                drop table {schema}.leaf_backup;
                """);
        }
    }

    [Fact]
    public async Task Checkpoints_are_consistent_with_each_other_a_foreign_signature_is_rejected_and_a_rewritten_log_is_inconsistent()
    {
        var police = api.Client(OrgType.Police, "pol-cp2");
        await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        var first = await CheckpointAsync();
        var (caseId, _, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        await Cases.ConsentAsync(police, caseId, "ReferralToRegionalCoordinator");
        var second = await CheckpointAsync();
        var (n1, n2) = (first["number"]!.GetValue<long>(), second["number"]!.GetValue<long>());
        Assert.True(n2 > n1);
        Assert.True(second["treeSize"]!.GetValue<long>() > first["treeSize"]!.GetValue<long>());
        var key = await KeyFileAsync();
        var saved = Write("first.json", first.ToJsonString());
        Assert.Equal(first.ToJsonString(), (await (await Auditor.GetAsync($"/api/v1/audit/checkpoints/{n1}")).ExpectAsync(HttpStatusCode.OK)).ToJsonString());
        await (await Auditor.GetAsync($"/api/v1/audit/checkpoints/{n2 + 1000}")).ExpectAsync(HttpStatusCode.NotFound);

        // Nothing changed since: asking again answers the same checkpoint.
        Assert.Equal(n2, (await CheckpointAsync())["number"]!.GetValue<long>());
        Assert.Equal(n2, (await (await api.Client(OrgType.NGO, "ngo-cp").GetAsync("/api/v1/audit/checkpoints/latest")).ExpectAsync(HttpStatusCode.OK))["number"]!.GetValue<long>());

        var proofJson = (await (await Auditor.GetAsync($"/api/v1/audit/checkpoints/{n2}/consistency?from={n1}")).ExpectAsync(HttpStatusCode.OK)).ToJsonString();
        var proof = Write("proof.json", proofJson);
        var (exit, output) = Offline("verify-checkpoints", proof, "--key", key, "--checkpoint", saved);
        Assert.True(exit == 0, output);
        Assert.Contains("consistent", output, StringComparison.Ordinal);

        // Any change to either checkpoint or to the proof fails.
        var changed = JsonNode.Parse(proofJson)!;
        changed["to"]!["rootHash"] = new string('0', 64);
        Assert.Equal(1, Offline("verify-checkpoints", Write("changed-root.json", changed.ToJsonString()), "--key", key).Exit);
        var flipped = JsonNode.Parse(proofJson)!;
        if (flipped["proof"]!.AsArray().Count > 0)
        {
            flipped["proof"]![0] = new string('f', 64);
            Assert.Equal(1, Offline("verify-checkpoints", Write("changed-proof.json", flipped.ToJsonString()), "--key", key).Exit);
        }

        var otherSaved = JsonNode.Parse(first.ToJsonString())!;
        otherSaved["rootHash"] = new string('1', 64);
        Assert.Equal(1, Offline("verify-checkpoints", proof, "--key", key, "--checkpoint", Write("other-saved.json", otherSaved.ToJsonString())).Exit);

        // A checkpoint signed with another key is rejected, by the proof check and by the export check.
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var foreign = Write("foreign.pem", other.ExportSubjectPublicKeyInfoPem());
        (exit, output) = Offline("verify-checkpoints", proof, "--key", foreign);
        Assert.Equal(1, exit);
        Assert.Contains("not signed by this key", output, StringComparison.Ordinal);
        (exit, output) = Offline("verify", await ExportAsync(caseId, n2, "case.jsonl"), "--key", foreign);
        Assert.Equal(1, exit);
        Assert.Contains("signature does not verify", output, StringComparison.Ordinal);
        Assert.Equal(0, Offline("verify", Path.Combine(_folder, "case.jsonl"), "--key", key).Exit);
        var forged = JsonSerializer.Deserialize<SignedCheckpoint>(second.ToJsonString(), CheckpointWitness.Json)!;
        Assert.False((forged with { Signature = Convert.ToBase64String(other.SignData(SignedCheckpoint.Message(forged.Number, forged.TreeSize, forged.RootHash, forged.Timestamp),
            System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.DSASignatureFormat.Rfc3279DerSequence)) }).VerifiesWith(File.ReadAllText(key)));

        // A log rewritten under the signed checkpoints cannot be signed again: the next checkpoint is refused (409).
        await SqlAsync("create table {schema}.leaf0_backup as select * from {schema}.audit_log_leaves where idx = 0");
        await SqlAsync($"update {{schema}}.audit_log_leaves set hash = decode('{new string('a', 64)}', 'hex') where idx = 0");
        try
        {
            await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
            var refused = await (await Auditor.PostAsync("/api/v1/audit/checkpoints", System.Net.Http.Json.JsonContent.Create(new { }))).ExpectAsync(HttpStatusCode.Conflict);
            Assert.Contains(CheckpointLog.LogMatchesLatest(n2), refused["unmetGuards"].Strings());
        }
        finally
        {
            await SqlAsync("update {schema}.audit_log_leaves l set hash = b.hash from {schema}.leaf0_backup b where l.idx = b.idx; drop table {schema}.leaf0_backup;");
        }

        // A signed checkpoint that does not extend an earlier one (the log rewritten between them) is found inconsistent.
        var forkedTo = JsonNode.Parse(proofJson)!;
        var fork = JsonSerializer.Deserialize<CheckpointConsistency>(proofJson, CheckpointWitness.Json)!;
        Assert.False(Merkle.VerifyConsistency(fork.From.TreeSize, fork.To.TreeSize, Convert.FromHexString(new string('3', 64)), Convert.FromHexString(fork.To.RootHash),
            [.. fork.Proof.Select(Convert.FromHexString)]));
        forkedTo["from"]!["rootHash"] = new string('3', 64);
        (exit, output) = Offline("verify-checkpoints", Write("forked.json", forkedTo.ToJsonString()), "--key", key);
        Assert.Equal(1, exit);
        Assert.Contains("not signed by this key", output, StringComparison.Ordinal); // a changed root breaks its signature first
    }

    [Fact]
    public async Task A_verification_can_require_the_witness_copy_of_the_checkpoint()
    {
        var police = api.Client(OrgType.Police, "pol-cp3");
        var (caseId, _, _) = await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        var checkpoint = await CheckpointAsync();
        var number = checkpoint["number"]!.GetValue<long>();
        Assert.NotNull(checkpoint["witnessedAt"]);
        var witnessed = Path.Combine(ApiFixture.WitnessDirectory, $"checkpoint-{number}.json");
        Assert.True(File.Exists(witnessed));

        var ok = await (await Auditor.GetAsync($"/api/v1/cases/{caseId}/audit/verification?checkpoint={number}&requireWitnessed=true")).ExpectAsync(HttpStatusCode.OK);
        Assert.True(ok["intact"]!.GetValue<bool>(), ok.ToJsonString());
        var key = await KeyFileAsync();
        var export = await ExportAsync(caseId, number, "witnessed.jsonl");
        Assert.Equal(0, Offline("verify", export, "--key", key, "--witness", ApiFixture.WitnessDirectory).Exit);
        var (exit, output) = Offline("verify", export, "--key", key, "--witness", Directory.CreateTempSubdirectory("referral-empty-witness-").FullName);
        Assert.Equal(1, exit);
        Assert.Contains("was not witnessed", output, StringComparison.Ordinal);

        // The witness's copy differs from what the log holds now: not witnessed.
        var copy = JsonNode.Parse(File.ReadAllText(witnessed))!;
        copy["rootHash"] = new string('2', 64);
        File.WriteAllText(witnessed, copy.ToJsonString());
        var differs = await (await Auditor.GetAsync($"/api/v1/cases/{caseId}/audit/verification?checkpoint={number}&requireWitnessed=true")).ExpectAsync(HttpStatusCode.OK);
        Assert.False(differs["intact"]!.GetValue<bool>());
        Assert.Contains("a different copy", differs.Str("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receiver_on_127_0_0_1_witnesses_each_checkpoint_and_one_it_refused_is_pushed_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext = 1;
        await using var node = ApiFixture.Host(api.ConnectionString, api.Schema).WithWebHostBuilder(b => b.UseSetting("Audit:Checkpoints:WitnessUrl", receiver.Url));
        var client = node.CreateClient();
        client.DefaultRequestHeaders.Authorization = Auditor.DefaultRequestHeaders.Authorization;
        await Cases.RegisterAsync(api.Client(OrgType.Police, "pol-cp5"), Cases.Sc1Registration(withPerson: false));

        // Refused (503): the checkpoint is made, not witnessed; the next round pushes it again and the receiver takes it.
        var refused = await (await client.PostAsync("/api/v1/audit/checkpoints", System.Net.Http.Json.JsonContent.Create(new { }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Null(refused["witnessedAt"]);
        var again = await (await client.PostAsync("/api/v1/audit/checkpoints", System.Net.Http.Json.JsonContent.Create(new { }))).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(refused["number"]!.GetValue<long>(), again["number"]!.GetValue<long>());
        Assert.NotNull(again["witnessedAt"]);
        Assert.Equal(2, receiver.Requests.Count);
        var copy = JsonSerializer.Deserialize<SignedCheckpoint>(receiver.Requests.Last().Body, CheckpointWitness.Json)!;
        Assert.True(copy.SameAs(JsonSerializer.Deserialize<SignedCheckpoint>(again.ToJsonString(), CheckpointWitness.Json)!));
        Assert.True(copy.VerifiesWith(await (await api.Client(null).GetAsync("/.well-known/referral-checkpoint-key")).Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Two_nodes_making_checkpoints_at_once_make_consecutive_consistent_ones()
    {
        var police = api.Client(OrgType.Police, "pol-cp4");
        await Cases.RegisterAsync(police, Cases.Sc1Registration(withPerson: false));
        await using var second = ApiFixture.Host(api.ConnectionString, api.Schema);
        var other = second.CreateClient();
        other.DefaultRequestHeaders.Authorization = Auditor.DefaultRequestHeaders.Authorization;
        var made = await Task.WhenAll(
            Auditor.PostAsync("/api/v1/audit/checkpoints", System.Net.Http.Json.JsonContent.Create(new { })),
            other.PostAsync("/api/v1/audit/checkpoints", System.Net.Http.Json.JsonContent.Create(new { })),
            Auditor.PostAsync("/api/v1/audit/checkpoints", System.Net.Http.Json.JsonContent.Create(new { })));
        var numbers = new List<long>();
        foreach (var response in made)
        {
            numbers.Add((await response.ExpectAsync(HttpStatusCode.OK))["number"]!.GetValue<long>());
        }

        // One checkpoint for the change (the others found nothing new and answered it); never a number twice for different trees.
        var latest = await (await Auditor.GetAsync("/api/v1/audit/checkpoints/latest")).ExpectAsync(HttpStatusCode.OK);
        Assert.All(numbers, n => Assert.Equal(latest["number"]!.GetValue<long>(), n));
        if (latest["number"]!.GetValue<long>() > 1)
        {
            var proof = JsonSerializer.Deserialize<CheckpointConsistency>(
                (await (await Auditor.GetAsync($"/api/v1/audit/checkpoints/{latest["number"]}/consistency")).ExpectAsync(HttpStatusCode.OK)).ToJsonString(), CheckpointWitness.Json)!;
            Assert.True(proof.Verify(await (await api.Client(null).GetAsync("/.well-known/referral-checkpoint-key")).Content.ReadAsStringAsync()).Consistent);
        }
    }
}
