// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/panellayout.h"

#include <QHBoxLayout>
#include <QVBoxLayout>
#include <QWidget>

namespace spotkeeper::gui {

void layOutPanel(QWidget *host, QWidget *title, QWidget *control, QWidget *body,
                 const QMargins &margins)
{
    auto *top = new QHBoxLayout;
    top->addWidget(title, 1);
    top->addWidget(control);
    auto *layout = new QVBoxLayout(host);
    layout->setContentsMargins(margins);
    layout->addLayout(top);
    layout->addWidget(body, 1);
}

} // namespace spotkeeper::gui
