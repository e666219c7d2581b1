// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "models/modelcsv.h"

#include <QAbstractItemModel>
#include <QDateTime>

namespace spotkeeper::gui {

bool exportModel(const QAbstractItemModel &model, const QList<int> &columns, const QString &path,
                 const core::CsvOptions &options, QString *error)
{
    QList<int> cols = columns;
    if (cols.isEmpty()) {
        for (int c = 0; c < model.columnCount(); ++c)
            cols.append(c);
    }
    core::CsvWriter writer(path, options);
    if (!writer.open(error))
        return false;
    QStringList header;
    for (int c : std::as_const(cols))
        header.append(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString());
    writer.writeRow(header);
    for (int r = 0; r < model.rowCount(); ++r) {
        for (int c : std::as_const(cols)) {
            const QVariant value = model.data(model.index(r, c), Qt::DisplayRole);
            switch (value.metaType().id()) {
            case QMetaType::Int:
            case QMetaType::LongLong:
            case QMetaType::UInt:
            case QMetaType::ULongLong:
                writer.number(value.toLongLong());
                break;
            case QMetaType::Double:
            case QMetaType::Float:
                writer.number(value.toDouble());
                break;
            case QMetaType::QDateTime:
                writer.time(value.toDateTime());
                break;
            default:
                writer.text(value.toString());
                break;
            }
        }
        writer.endRow();
    }
    return writer.commit(error);
}

} // namespace spotkeeper::gui
