namespace Referral.Modules.Prosecution.Contracts;

/// <summary>States of a preliminary investigation (förundersökning), one stream per investigation.</summary>
public enum InvestigationStatus
{
    /// <summary>Polisanmälan — a police report is filed.</summary>
    Reported,
    /// <summary>The preliminary investigation is opened with a named investigation leader (förundersökningsledare).</summary>
    Opened,
    /// <summary>Investigative measures are under way.</summary>
    Ongoing,
    /// <summary>Nedlagd — closed without prosecution.</summary>
    ClosedNoProsecution,
    /// <summary>Åtal väckt — indicted.</summary>
    Indicted,
    /// <summary>Huvudförhandling utsatt — the main hearing is scheduled.</summary>
    TrialScheduled,
    /// <summary>Tingsrättens dom — first-instance judgment.</summary>
    FirstInstanceJudgment,
    /// <summary>Överklagad — appealed.</summary>
    Appealed,
    /// <summary>Hovrättens dom — appeal judgment.</summary>
    AppealJudgment,
    /// <summary>Laga kraft — final.</summary>
    Final,
}

/// <summary>Who leads the investigation.</summary>
public enum InvestigationLeaderRole { Police, Prosecutor }

/// <summary>Why an investigation was closed without prosecution.</summary>
public enum ClosureGround { NoCrime, InsufficientEvidence, SuspectUnknown, Other }

/// <summary>Offence classification (BrB 4 kap. 1 a §, 1 b §).</summary>
public enum OffenceClassification
{
    /// <summary>Människohandel, BrB 4:1 a.</summary>
    BrB_4_1a_Trafficking,
    /// <summary>Människoexploatering, BrB 4:1 b.</summary>
    BrB_4_1b_Exploitation,
    /// <summary>Grov människoexploatering, BrB 4:1 b second paragraph.</summary>
    BrB_4_1b_Aggravated,
    /// <summary>Koppleri.</summary>
    Procuring,
    Other,
}

/// <summary>The outcome for one defendant.</summary>
public enum Verdict { Convicted, Acquitted }

/// <summary>Who appealed.</summary>
public enum AppealedBy { Prosecution, Defence, InjuredParty }

/// <summary>How a case takes part in an investigation.</summary>
public enum ParticipationRole
{
    /// <summary>Målsägande — the injured party.</summary>
    InjuredParty,
    /// <summary>Vittne — a witness.</summary>
    Witness,
    /// <summary>Also a suspect (e.g. forced criminality): raises the non-punishment question (CoE Art. 26).</summary>
    AlsoSuspect,
}

/// <summary>States of a case's participation in one investigation.</summary>
public enum ParticipationStatus
{
    Linked,
    Interviewed,
    /// <summary>Målsägandebiträde requested from the court.</summary>
    CounselRequested,
    /// <summary>Målsägandebiträde appointed.</summary>
    CounselAppointed,
    TestifiedInPerson,
    TestifiedRemotely,
    NotHeard,
}

/// <summary>How a person was heard at trial.</summary>
public enum Testimony { InPerson, Remotely, NotHeard }

/// <summary>What a task raised by the criminal track asks.</summary>
public enum TaskKind
{
    /// <summary>R9: closure or acquittal never closes identification or support; social services and the coordinator review.</summary>
    OutcomeReview,
    /// <summary>Final judgment: is the cooperation permit still needed? (for the investigation leader).</summary>
    CooperationPermitStillNeeded,
    /// <summary>A victim linked as also-suspect: the prosecutor considers non-punishment (CoE Art. 26).</summary>
    NonPunishmentAssessment,
}
