// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "fleet/fleettypes.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// The capacity fallback's decisions (docs/ENGINE.md "Capacity fallback"), pure functions the
// restart engine calls and the unit tests drive: which VMs opted in (a tag on the VM, or a
// tag rule of the configuration), the next operator-approved size the region offers, how far a
// VM's max price may be raised, and how many changes a VM had today. Nothing here talks to a
// cloud or a store.
namespace spotkeeper::core {

// A rule of spotkeeperd.conf [fallback]: VMs whose tag `tagKey` equals `tagValue` (case-
// insensitive) use these sizes and this price cap.
struct FallbackRule
{
    QString tagKey;
    QString tagValue;
    QStringList sizes; // operator-approved, in the order they are tried
    std::optional<double> maxPriceCap; // USD per hour; -1 = the pay-as-you-go price
};

struct FallbackConfig
{
    bool enabled = false; // off: no VM is resized or repriced, whatever its tags say
    bool dryRun = false; // record what would happen, change nothing
    qint64 afterMs = qint64(15) * 60'000; // capacity errors this long before a resize
    int maxChangesPerDay = 3; // per VM, in any 24 hours (dry-run records count too)
    bool returnToPreferred = false; // resize back at the next deliberate stop
    QString sizesTag = QStringLiteral("spotkeeper-fallback-sizes");
    QString maxPriceTag = QStringLiteral("spotkeeper-fallback-max-price");
    QList<FallbackRule> rules;
};

// What one VM may do: its approved sizes and its price cap. The VM's own tags win over a rule.
struct FallbackPolicy
{
    QStringList sizes;
    std::optional<double> maxPriceCap;
    QString source; // "tag" or "rule <key>=<value>", for the audit row
};

// "Standard_D4s_v5, Standard_D8s_v5" -> the sizes; an empty list or a malformed name is an
// error (returned; empty = fine).
QString parseFallbackSizes(QStringView text, QStringList *sizes);
// "0.25" or "-1" -> the cap; anything else (negative but -1, not a number) is an error.
QString parseMaxPriceCap(QStringView text, double *cap);
// "env=batch: Standard_D4s_v5, Standard_D8s_v5 | max_price=0.5" -> a rule, or an error.
QString parseFallbackRule(QStringView text, FallbackRule *rule);

// The VM's policy; nullopt when it did not opt in (or fallback is off). A malformed tag is
// reported in *problem (and the VM gets no policy from it).
std::optional<FallbackPolicy> fallbackPolicyFor(const FallbackConfig &config, const VmRecord &vm,
                                                QString *problem = nullptr);

// The next size to try after `current`: the first approved size after current's place in the
// list (from the start when current is not in it) that `available` offers (case-insensitive).
// Empty with *why set when there is none.
QString nextFallbackSize(const QStringList &approved, const QString &current,
                         const QStringList &available, QString *why);

// How far the max price goes: to the cap, never above it. -1 (pay-as-you-go) is the highest
// price there is. nullopt with *why when the price is already at or above the cap.
std::optional<double> raisedMaxPrice(double current, double cap, QString *why);
QString formatMaxPrice(double price); // "-1 (pay-as-you-go)" or "0.25 USD/h"

// One audit row's detail of a fallback change (JSON), and reading it back.
struct FallbackChange
{
    QString field {}; // "size" | "max_price"
    QString before {};
    QString after {};
    bool dryRun = false;
    QString reason {};
    qint64 undoes = 0; // an undo: the audit row it reverts
    QString error {}; // the cloud refused the change: nothing changed
};
QString encodeFallbackChange(const FallbackChange &change);
std::optional<FallbackChange> decodeFallbackChange(const QString &detail);
// Audit actions: a resize, a max price change, an undo of either.
inline constexpr auto kAuditFallbackResize = "fallback_resize";
inline constexpr auto kAuditFallbackMaxPrice = "fallback_max_price";
inline constexpr auto kAuditFallbackUndo = "fallback_undo";
inline constexpr auto kAuditFallbackReturn = "fallback_return"; // to the preferred size
bool isFallbackAction(QStringView action);

// The size the VM had before the fallback resized it, from its audit rows (oldest first): the
// `before` of the first applied resize since the VM last was at that size again (an undo or a
// return). Empty when the VM is at its preferred size or was never resized.
QString preferredSizeOf(const QList<AuditRecord> &rows, const QString &resourceKey,
                        const QString &currentSize);

// How many fallback changes (dry runs included) the VM's audit rows record since `since`.
int fallbackChangesSince(const QList<AuditRecord> &rows, const QString &resourceKey,
                         const QDateTime &since);

} // namespace spotkeeper::core
