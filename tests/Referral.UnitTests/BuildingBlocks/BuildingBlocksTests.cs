using Microsoft.Extensions.Primitives;
using Referral.BuildingBlocks.Cases;
using Referral.BuildingBlocks.Contracts;
using Referral.BuildingBlocks.Errors;
using Referral.BuildingBlocks.Security;
using Referral.BuildingBlocks.Validation;

namespace Referral.UnitTests.BuildingBlocks;

public sealed class BuildingBlocksTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("not base64!", false)]
    [InlineData("c2hvcnQ=", false)]
    [InlineData("irjL9qInYizTUT7uLw019IEq2kefUyXFjI2WWiKJ8dk=", true)]
    public void The_idempotency_fingerprint_key_must_be_base64_of_at_least_32_bytes(string? key, bool valid) =>
        Assert.Equal(valid, new Referral.BuildingBlocks.Http.IdempotencyOptions { FingerprintKey = key }.KeyBytes() is not null);

    [Theory]
    [InlineData(LegalBasis.SeriousCrime_OSL_10_23, OrgType.Police, true)]
    [InlineData(LegalBasis.SeriousCrime_OSL_10_23, OrgType.Prosecution, true)]
    [InlineData(LegalBasis.SeriousCrime_OSL_10_23, OrgType.NGO, false)]
    [InlineData(LegalBasis.CrimeAgainstChild_OSL_10_21, OrgType.SocialServices, false)]
    [InlineData(LegalBasis.SocHealthMinor_OSL_26_9_25_12, OrgType.HealthCare, true)]
    [InlineData(LegalBasis.SocHealthMinor_OSL_26_9_25_12, OrgType.Police, false)]
    [InlineData(LegalBasis.StatutoryDuty_OSL_10_28, OrgType.SocialServices, true)]
    [InlineData(LegalBasis.StatutoryDuty_OSL_10_28, OrgType.MigrationAgency, false)]
    [InlineData(LegalBasis.Consent_OSL_12_2, OrgType.NGO, true)]
    public void A_legal_basis_reaches_only_its_receivers(LegalBasis basis, OrgType receiver, bool allowed) =>
        Assert.Equal(allowed, new Disclosure(basis, "Synthetic purpose.").CanReach(receiver));

    [Theory]
    [InlineData("\"1\"", 1L)]
    [InlineData("\"42\"", 42L)]
    [InlineData(" \"7\" ", 7L)]
    public void If_Match_with_our_ETag_gives_the_version(string header, long version) =>
        Assert.Equal(version, ETag.ParseIfMatch(new StringValues(header)));

    [Fact]
    public void Absent_If_Match_gives_no_version() => Assert.Null(ETag.ParseIfMatch(StringValues.Empty));

    [Theory]
    [InlineData("1")]
    [InlineData("W/\"1\"")]
    [InlineData("\"abc\"")]
    [InlineData("\"0\"")]
    [InlineData("\"-1\"")]
    [InlineData("*")]
    public void Foreign_If_Match_is_refused(string header) =>
        Assert.Throws<InvalidIfMatchException>(() => ETag.ParseIfMatch(new StringValues(header)));

    [Fact]
    public void ETag_round_trips() => Assert.Equal(12, ETag.ParseIfMatch(new StringValues(ETag.From(12))));

    [Theory]
    [InlineData("Born 19990401-1234 in Lagos")]
    [InlineData("personnummer 990401-1234")]
    [InlineData("mail testperson@example.invalid")]
    [InlineData("call +46 70 123 45 67")]
    [InlineData("call 070-1234567")]
    public void Identifying_details_in_free_text_are_detected(string text) => Assert.True(Rules.LooksIdentifying(text));

    [Theory]
    [InlineData("Debt bondage and confiscated documents; account consistent.")]
    [InlineData("Worked 14 hours a day for 3 months in 2025.")]
    [InlineData("Two of 40 workers said the same.")]
    public void Ordinary_assessment_text_is_not_flagged(string text) => Assert.False(Rules.LooksIdentifying(text));

    [Fact]
    public void Country_codes_are_the_iso_list() =>
        Assert.True(Iso3166.Alpha2.Contains("SE") && Iso3166.Alpha2.Contains("NG") && !Iso3166.Alpha2.Contains("XX") && Iso3166.Alpha2.Count == 250);
}
