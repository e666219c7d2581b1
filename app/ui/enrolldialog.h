// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include "models/fleetsource.h"

#include <QDialog>

namespace spotkeeper::gui {

// Shows a freshly generated agent key once, with ready install snippets for Linux
// (systemd), cloud-init and Windows. The secret lives only in this dialog's memory.
class EnrollDialog final : public QDialog
{
    Q_OBJECT
public:
    EnrollDialog(const core::VmRecord &vm, const EnrollResult &key, QWidget *parent = nullptr);
    ~EnrollDialog() override;
    Q_DISABLE_COPY_MOVE(EnrollDialog)

    enum class Snippet { Linux, CloudInit, Windows };
    static QString snippet(Snippet kind, const core::VmRecord &vm, const EnrollResult &key);
};

} // namespace spotkeeper::gui
