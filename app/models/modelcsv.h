// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "export/csvwriter.h"

#include <QList>
#include <QString>

class QAbstractItemModel;

namespace spotkeeper::gui {

// "Export current view": the rows and columns the operator sees, in view order, with the
// header texts. Integer and floating-point cells are written as numbers, the rest as text
// (guarded against formula injection by CsvWriter). columns empty = every column.
bool exportModel(const QAbstractItemModel &model, const QList<int> &columns, const QString &path,
                 const core::CsvOptions &options, QString *error);

} // namespace spotkeeper::gui
