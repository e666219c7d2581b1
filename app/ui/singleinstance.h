// SPDX-FileCopyrightText: 2026 SpotKeeper contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

namespace spotkeeper::gui {

// One dashboard per user: the first instance listens on a per-user local socket; a second
// launch connects, asks the first to raise its window and exits.
class SingleInstance final : public QObject
{
    Q_OBJECT
public:
    explicit SingleInstance(QString name = defaultName(), QObject *parent = nullptr);
    ~SingleInstance() override;
    Q_DISABLE_COPY_MOVE(SingleInstance)

    // true: this is the first instance (now listening); false: another one was asked to
    // raise itself and this process should exit.
    bool claim();
    static QString defaultName(); // "spotkeeper-<user>"

Q_SIGNALS:
    void raiseRequested();

private:
    QString m_name;
    QLocalServer *m_server = nullptr;
};

} // namespace spotkeeper::gui
