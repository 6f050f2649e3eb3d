using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Referral.Modules.Suspicion;

namespace Referral.UnitTests.Suspicion;

/// <summary>Envelope encryption of person records: the stored key is wrapped under a key held outside the database.</summary>
public sealed class PersonRecordCipherTests
{
    private static readonly PersonDetails Details = new("Synthetica", "Testdottir", null, null, null, "070-000 00 00", null, null);

    private static PersonRecordCipher Cipher(byte[] keyEncryptionKey) =>
        new(Options.Create(new PersonRecordOptions { KeyEncryptionKey = Convert.ToBase64String(keyEncryptionKey) }));

    [Fact]
    public void A_record_opens_with_the_key_encryption_key_it_was_sealed_under()
    {
        var cipher = Cipher(RandomNumberGenerator.GetBytes(32));
        var subject = Guid.NewGuid();
        var (record, key) = cipher.Seal(subject, Guid.NewGuid(), Details, DateTimeOffset.UnixEpoch);
        Assert.Equal(Details, cipher.Open(record, key));

        // A correction keeps the record's key, so earlier revisions stay readable until erasure.
        var (corrected, sameKey) = cipher.Seal(subject, record.CaseId, Details with { GivenName = "Other" }, DateTimeOffset.UnixEpoch, key);
        Assert.Same(key, sameKey);
        Assert.Equal("Other", cipher.Open(corrected, key).GivenName);
    }

    [Fact]
    public void The_stored_key_alone_opens_nothing_and_another_key_encryption_key_cannot_unwrap_it()
    {
        var (record, key) = Cipher(RandomNumberGenerator.GetBytes(32)).Seal(Guid.NewGuid(), Guid.NewGuid(), Details, DateTimeOffset.UnixEpoch);

        // What a copy of the database holds: the wrapped key is not the record's key.
        using (var aes = new AesGcm(key.WrappedKey, 16))
        {
            Assert.ThrowsAny<CryptographicException>(() =>
                aes.Decrypt(record.Nonce, record.Ciphertext, record.Tag, new byte[record.Ciphertext.Length], record.Id.ToByteArray()));
        }

        Assert.ThrowsAny<CryptographicException>(() => Cipher(RandomNumberGenerator.GetBytes(32)).Open(record, key));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public void A_missing_or_malformed_key_encryption_key_is_refused(string? configured)
    {
        Assert.Null(new PersonRecordOptions { KeyEncryptionKey = configured }.KeyBytes());
        Assert.Throws<InvalidOperationException>(() => new PersonRecordCipher(Options.Create(new PersonRecordOptions { KeyEncryptionKey = configured })));
    }
}
