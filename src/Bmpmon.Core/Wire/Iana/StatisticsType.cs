namespace Bmpmon.Core.Wire.Iana;

/// <summary>
/// Statistics Report counter types (RFC 7854 s4.8, RFC 8671 s5, IANA "BMP Statistics Types").
/// Per-AFI/SAFI types carry AFI (2) + SAFI (1) + a 64-bit gauge; the others a 32-bit counter or a
/// 64-bit gauge. Types past 17 come from draft-ietf-grow-bmp-bgp-rib-stats as registered with IANA.
/// </summary>
public enum StatisticsType : ushort
{
    /// <summary>Number of prefixes rejected by inbound policy (32-bit counter).</summary>
    PrefixesRejected = 0,

    /// <summary>Number of (known) duplicate prefix advertisements (32-bit counter).</summary>
    DuplicatePrefixAdvertisements = 1,

    /// <summary>Number of (known) duplicate withdraws (32-bit counter).</summary>
    DuplicateWithdraws = 2,

    /// <summary>Number of updates invalidated due to CLUSTER_LIST loop (32-bit counter).</summary>
    UpdatesInvalidatedByClusterListLoop = 3,

    /// <summary>Number of updates invalidated due to AS_PATH loop (32-bit counter).</summary>
    UpdatesInvalidatedByAsPathLoop = 4,

    /// <summary>Number of updates invalidated due to ORIGINATOR_ID (32-bit counter).</summary>
    UpdatesInvalidatedByOriginatorId = 5,

    /// <summary>Number of updates invalidated due to AS_CONFED loop (32-bit counter).</summary>
    UpdatesInvalidatedByAsConfedLoop = 6,

    /// <summary>Number of routes in Adj-RIBs-In (64-bit gauge).</summary>
    RoutesAdjRibIn = 7,

    /// <summary>Number of routes in Loc-RIB (64-bit gauge).</summary>
    RoutesLocRib = 8,

    /// <summary>Number of routes in per-AFI/SAFI Adj-RIB-In (AFI, SAFI, 64-bit gauge).</summary>
    RoutesPerAfiSafiAdjRibIn = 9,

    /// <summary>Number of routes in per-AFI/SAFI Loc-RIB (AFI, SAFI, 64-bit gauge).</summary>
    RoutesPerAfiSafiLocRib = 10,

    /// <summary>Number of updates subjected to treat-as-withdraw (RFC 7606) (32-bit counter).</summary>
    UpdatesTreatAsWithdraw = 11,

    /// <summary>Number of prefixes subjected to treat-as-withdraw (32-bit counter).</summary>
    PrefixesTreatAsWithdraw = 12,

    /// <summary>Number of duplicate update messages received (32-bit counter).</summary>
    DuplicateUpdates = 13,

    /// <summary>Number of routes in pre-policy Adj-RIB-Out (RFC 8671) (64-bit gauge).</summary>
    RoutesPrePolicyAdjRibOut = 14,

    /// <summary>Number of routes in post-policy Adj-RIB-Out (RFC 8671) (64-bit gauge).</summary>
    RoutesPostPolicyAdjRibOut = 15,

    /// <summary>Number of routes in per-AFI/SAFI pre-policy Adj-RIB-Out (RFC 8671).</summary>
    RoutesPerAfiSafiPrePolicyAdjRibOut = 16,

    /// <summary>Number of routes in per-AFI/SAFI post-policy Adj-RIB-Out (RFC 8671).</summary>
    RoutesPerAfiSafiPostPolicyAdjRibOut = 17,

    /// <summary>Number of routes in pre-policy Adj-RIB-In (64-bit gauge).</summary>
    RoutesPrePolicyAdjRibIn = 18,

    /// <summary>Number of routes in per-AFI/SAFI pre-policy Adj-RIB-In.</summary>
    RoutesPerAfiSafiPrePolicyAdjRibIn = 19,

    /// <summary>Number of routes in post-policy Adj-RIB-In (64-bit gauge).</summary>
    RoutesPostPolicyAdjRibIn = 20,

    /// <summary>Number of routes in per-AFI/SAFI post-policy Adj-RIB-In.</summary>
    RoutesPerAfiSafiPostPolicyAdjRibIn = 21,

    /// <summary>Number of routes in per-AFI/SAFI pre-policy Adj-RIB-In rejected by inbound policy.</summary>
    RoutesPerAfiSafiRejectedByInboundPolicy = 22,

    /// <summary>Number of routes in per-AFI/SAFI post-policy Adj-RIB-In accepted by inbound policy.</summary>
    RoutesPerAfiSafiAcceptedByInboundPolicy = 23,

    /// <summary>Number of routes in per-AFI/SAFI Adj-RIB-In or Loc-RIB suppressed by route damping.</summary>
    RoutesPerAfiSafiSuppressedByDamping = 26,

    /// <summary>Number of routes in per-AFI/SAFI Adj-RIB-In or Loc-RIB marked stale by graceful restart.</summary>
    RoutesPerAfiSafiStaleByGracefulRestart = 27,

    /// <summary>Number of routes in per-AFI/SAFI Adj-RIB-In or Loc-RIB marked stale by long-lived graceful restart.</summary>
    RoutesPerAfiSafiStaleByLongLivedGracefulRestart = 28,

    /// <summary>Number of routes left before the post-policy Adj-RIB-In prefix threshold.</summary>
    RoutesLeftBeforeThreshold = 29,

    /// <summary>Number of routes left before the per-AFI/SAFI post-policy Adj-RIB-In prefix threshold.</summary>
    RoutesPerAfiSafiLeftBeforeThreshold = 30,

    /// <summary>Number of routes left before the Adj-RIB-In or Loc-RIB license threshold.</summary>
    RoutesLeftBeforeLicenseThreshold = 31,

    /// <summary>Number of routes left before the per-AFI/SAFI Adj-RIB-In or Loc-RIB license threshold.</summary>
    RoutesPerAfiSafiLeftBeforeLicenseThreshold = 32,
}
