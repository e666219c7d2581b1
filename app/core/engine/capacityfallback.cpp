// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/capacityfallback.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cmath>

namespace spotkeeper::core {

using namespace Qt::StringLiterals;

namespace {

// An Azure size name (Standard_D4s_v5, Standard_M416-208s_v2); other clouds' names
// (m5.large, n2-standard-4) fit too.
bool isSizeName(QStringView name)
{
    return !name.isEmpty() && name.size() <= 64
        && std::all_of(name.begin(), name.end(), [](QChar ch) {
               return ch.isLetterOrNumber() || ch == u'_' || ch == u'-' || ch == u'.';
           });
}

bool containsSize(const QStringList &sizes, const QString &size)
{
    return sizes.contains(size, Qt::CaseInsensitive);
}

// The tag's value, its key matched case-insensitively (as Azure treats tag names).
std::optional<QString> tagValue(const VmRecord &vm, const QString &key)
{
    for (auto it = vm.tags.cbegin(); it != vm.tags.cend(); ++it) {
        if (it.key().compare(key, Qt::CaseInsensitive) == 0)
            return it.value();
    }
    return std::nullopt;
}

} // namespace

QString parseFallbackSizes(QStringView text, QStringList *sizes)
{
    QStringList out;
    for (QStringView part : text.split(u',', Qt::SkipEmptyParts)) {
        const QStringView name = part.trimmed();
        if (name.isEmpty())
            continue;
        if (!isSizeName(name))
            return u"'%1' is not a VM size name"_s.arg(name.left(80));
        if (!containsSize(out, name.toString()))
            out.append(name.toString());
    }
    if (out.isEmpty())
        return u"expected a comma-separated list of VM sizes"_s;
    *sizes = out;
    return {};
}

QString parseMaxPriceCap(QStringView text, double *cap)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || (value < 0 && value != -1.0) || value == 0)
        return u"expected a price in USD per hour above 0, or -1 (up to the pay-as-you-go price)"_s;
    *cap = value;
    return {};
}

QString parseFallbackRule(QStringView text, FallbackRule *rule)
{
    // <tag>=<value>: <size>, <size>[ | max_price = <cap>]
    const qsizetype colon = text.indexOf(u':');
    if (colon < 0)
        return u"expected <tag>=<value>: <size>, <size>[ | max_price = <cap>]"_s;
    const QStringView selector = text.left(colon).trimmed();
    const qsizetype eq = selector.indexOf(u'=');
    if (eq <= 0 || selector.left(eq).trimmed().isEmpty())
        return u"the rule must start with <tag>=<value>"_s;
    FallbackRule out;
    out.tagKey = selector.left(eq).trimmed().toString();
    out.tagValue = selector.mid(eq + 1).trimmed().toString();
    QStringView rest = text.mid(colon + 1);
    const qsizetype bar = rest.indexOf(u'|');
    if (bar >= 0) {
        const QStringView option = rest.mid(bar + 1).trimmed();
        rest = rest.left(bar);
        const qsizetype optionEq = option.indexOf(u'=');
        if (optionEq < 0 || option.left(optionEq).trimmed().compare(u"max_price"_s) != 0)
            return u"after '|' only max_price = <cap> is known"_s;
        double cap = 0;
        if (QString problem = parseMaxPriceCap(option.mid(optionEq + 1), &cap); !problem.isEmpty())
            return u"max_price: "_s + problem;
        out.maxPriceCap = cap;
    }
    if (rest.trimmed().isEmpty() && !out.maxPriceCap)
        return u"the rule names no sizes and no max_price"_s;
    if (!rest.trimmed().isEmpty()) {
        if (QString problem = parseFallbackSizes(rest, &out.sizes); !problem.isEmpty())
            return problem;
    }
    *rule = out;
    return {};
}

std::optional<FallbackPolicy> fallbackPolicyFor(const FallbackConfig &config, const VmRecord &vm,
                                                QString *problem)
{
    if (!config.enabled)
        return std::nullopt;
    const std::optional<QString> sizesTag = tagValue(vm, config.sizesTag);
    const std::optional<QString> priceTag = tagValue(vm, config.maxPriceTag);
    if (sizesTag || priceTag) {
        FallbackPolicy policy;
        policy.source = u"tag"_s;
        QStringList problems;
        if (sizesTag) {
            if (QString p = parseFallbackSizes(*sizesTag, &policy.sizes); !p.isEmpty())
                problems.append(config.sizesTag + u": "_s + p);
        }
        if (priceTag) {
            double cap = 0;
            if (QString p = parseMaxPriceCap(*priceTag, &cap); !p.isEmpty())
                problems.append(config.maxPriceTag + u": "_s + p);
            else
                policy.maxPriceCap = cap;
        }
        if (problem != nullptr)
            *problem = problems.join(u"; "_s);
        if (policy.sizes.isEmpty() && !policy.maxPriceCap)
            return std::nullopt;
        return policy;
    }
    for (const FallbackRule &rule : config.rules) {
        const std::optional<QString> value = tagValue(vm, rule.tagKey);
        if (value && value->compare(rule.tagValue, Qt::CaseInsensitive) == 0)
            return FallbackPolicy {rule.sizes, rule.maxPriceCap,
                                   u"rule "_s + rule.tagKey + u'=' + rule.tagValue};
    }
    return std::nullopt;
}

QString nextFallbackSize(const QStringList &approved, const QString &current,
                         const QStringList &available, QString *why)
{
    qsizetype from = 0;
    for (qsizetype i = 0; i < approved.size(); ++i) {
        if (approved.at(i).compare(current, Qt::CaseInsensitive) == 0)
            from = i + 1;
    }
    QStringList missing;
    for (qsizetype i = from; i < approved.size(); ++i) {
        if (approved.at(i).compare(current, Qt::CaseInsensitive) == 0)
            continue;
        if (containsSize(available, approved.at(i)))
            return approved.at(i);
        missing.append(approved.at(i));
    }
    if (why != nullptr) {
        *why = from >= approved.size()
            ? u"%1 is the last approved size (%2)"_s.arg(current, approved.join(u", "_s))
            : u"the region offers none of the approved sizes after %1 (%2 not available)"_s.arg(
                current, missing.join(u", "_s));
    }
    return {};
}

std::optional<double> raisedMaxPrice(double current, double cap, QString *why)
{
    const auto refuse = [&](const QString &text) -> std::optional<double> {
        if (why != nullptr)
            *why = text;
        return std::nullopt;
    };
    if (current == -1.0)
        return refuse(u"the max price is already -1 (the pay-as-you-go price), the highest "
                      "there is"_s);
    if (cap == -1.0)
        return -1.0;
    if (current >= cap)
        return refuse(u"the max price %1 is already at or above the operator's cap %2"_s.arg(
            formatMaxPrice(current), formatMaxPrice(cap)));
    return cap;
}

QString formatMaxPrice(double price)
{
    if (price == -1.0)
        return u"-1 (pay-as-you-go)"_s;
    return QString::number(price, 'g', 8) + u" USD/h"_s;
}

QString encodeFallbackChange(const FallbackChange &change)
{
    QJsonObject object {{u"field"_s, change.field},
                        {u"before"_s, change.before},
                        {u"after"_s, change.after},
                        {u"dry_run"_s, change.dryRun},
                        {u"reason"_s, change.reason}};
    if (change.undoes > 0)
        object.insert(u"undoes"_s, change.undoes);
    if (!change.error.isEmpty())
        object.insert(u"error"_s, change.error);
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::optional<FallbackChange> decodeFallbackChange(const QString &detail)
{
    const QJsonDocument doc = QJsonDocument::fromJson(detail.toUtf8());
    if (!doc.isObject())
        return std::nullopt;
    const QJsonObject object = doc.object();
    FallbackChange change;
    change.field = object.value("field"_L1).toString();
    change.before = object.value("before"_L1).toString();
    change.after = object.value("after"_L1).toString();
    change.dryRun = object.value("dry_run"_L1).toBool();
    change.reason = object.value("reason"_L1).toString();
    change.undoes = object.value("undoes"_L1).toInteger();
    change.error = object.value("error"_L1).toString();
    if (change.field != "size"_L1 && change.field != "max_price"_L1)
        return std::nullopt;
    return change;
}

bool isFallbackAction(QStringView action)
{
    return action == QLatin1StringView(kAuditFallbackResize)
        || action == QLatin1StringView(kAuditFallbackMaxPrice)
        || action == QLatin1StringView(kAuditFallbackUndo)
        || action == QLatin1StringView(kAuditFallbackReturn);
}

QString preferredSizeOf(const QList<AuditRecord> &rows, const QString &resourceKey,
                        const QString &currentSize)
{
    QString preferred;
    for (const AuditRecord &row : rows) {
        if (row.target != resourceKey || !isFallbackAction(row.action)
            || row.action == QLatin1StringView(kAuditFallbackMaxPrice))
            continue;
        const std::optional<FallbackChange> change = decodeFallbackChange(row.detail);
        if (!change || change->field != "size"_L1 || change->dryRun || !change->error.isEmpty())
            continue;
        if (preferred.isEmpty() && row.action == QLatin1StringView(kAuditFallbackResize))
            preferred = change->before;
        else if (change->after.compare(preferred, Qt::CaseInsensitive) == 0)
            preferred.clear(); // back at it (an undo or a return)
    }
    return preferred.compare(currentSize, Qt::CaseInsensitive) == 0 ? QString() : preferred;
}

int fallbackChangesSince(const QList<AuditRecord> &rows, const QString &resourceKey,
                         const QDateTime &since)
{
    return int(std::count_if(rows.cbegin(), rows.cend(), [&](const AuditRecord &row) {
        return row.at >= since && row.target == resourceKey && isFallbackAction(row.action)
            && row.action != QLatin1StringView(kAuditFallbackUndo)
            && row.action != QLatin1StringView(kAuditFallbackReturn)
            && !row.detail.contains(u"\"error\""_s); // a refused change changed nothing
    }));
}

} // namespace spotkeeper::core
