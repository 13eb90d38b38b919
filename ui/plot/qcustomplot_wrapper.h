#pragma once
// The only file that includes QCustomPlot (Debian's libQCustomPlotQt6, never vendored).
// Its header still uses the `signals`/`slots`/`emit`/`foreach` keywords that QT_NO_KEYWORDS
// removes project-wide (torch defines `slots` too), so they are mapped back for this include only
// and the header is treated as a system header so its warnings do not count as ours.

#pragma GCC system_header

#define QCUSTOMPLOT_USE_LIBRARY

#ifndef signals
#define signals Q_SIGNALS
#define ATTRSCOPE_QCP_UNDEF_SIGNALS
#endif
#ifndef slots
#define slots Q_SLOTS
#define ATTRSCOPE_QCP_UNDEF_SLOTS
#endif
#ifndef emit
#define emit Q_EMIT
#define ATTRSCOPE_QCP_UNDEF_EMIT
#endif
#ifndef foreach
#define foreach Q_FOREACH
#define ATTRSCOPE_QCP_UNDEF_FOREACH
#endif

#include <qcustomplot.h>

#ifdef ATTRSCOPE_QCP_UNDEF_SIGNALS
#undef signals
#undef ATTRSCOPE_QCP_UNDEF_SIGNALS
#endif
#ifdef ATTRSCOPE_QCP_UNDEF_SLOTS
#undef slots
#undef ATTRSCOPE_QCP_UNDEF_SLOTS
#endif
#ifdef ATTRSCOPE_QCP_UNDEF_EMIT
#undef emit
#undef ATTRSCOPE_QCP_UNDEF_EMIT
#endif
#ifdef ATTRSCOPE_QCP_UNDEF_FOREACH
#undef foreach
#undef ATTRSCOPE_QCP_UNDEF_FOREACH
#endif

namespace attrscope::ui {
class Palette;
// A QCustomPlot gradient with the palette's stops; no interpolation between cells is set on the
// colour map itself (setInterpolate(false)), this only controls the colour lookup.
QCPColorGradient toGradient(const Palette& palette);
}  // namespace attrscope::ui
