#pragma once
// Runs attrscope-cli as a user would and captures exit code, stdout and stderr.

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>

struct CliRun {
    int code = -1;
    QByteArray out, err;
};

// ATTRSCOPE_MODELS points at the source tree's demo models, so runs without --model find them.
inline CliRun runCli(const QStringList& args, int threads = 2) {
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert("ATTRSCOPE_MODELS", ATTRSCOPE_MODELS_DIR);
    p.setProcessEnvironment(env);
    p.start(ATTRSCOPE_CLI_PATH, QStringList{"--threads", QString::number(threads), "--quiet"} + args);
    p.waitForFinished(600000);
    return {p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
}
