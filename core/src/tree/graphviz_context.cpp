#include "graphviz_context.h"

#include <mutex>

#if defined(__GLIBC__) || defined(__APPLE__)
#include <locale.h>
#if defined(__APPLE__)
#include <xlocale.h>
#endif
#define ATTRSCOPE_HAVE_USELOCALE 1
#endif

namespace attrscope {

namespace {

std::mutex& graphvizMutex() {
    static std::mutex mutex;
    return mutex;
}

// Only touched with graphvizMutex() held.
std::string& collected() {
    static std::string text;
    return text;
}

int collectMessage(char* message) {
    if (message != nullptr)
        collected() += message;
    return 0;
}

}  // namespace

Agraph_t* GraphvizContext::Session::parse(const std::string& dot) const {
    // agmemread takes `char*` in some Graphviz releases and `const char*` in others; it never
    // writes to the text.
    return agmemread(const_cast<char*>(dot.c_str()));
}

std::string GraphvizContext::Session::messages() const {
    std::string text = collected();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
        text.pop_back();
    return text;
}

Status GraphvizContext::run(const std::function<Status(Session&)>& body) {
    std::lock_guard<std::mutex> lock(graphvizMutex());
    // Deliberately never freed: gvFreeContext during static destruction can run after the
    // plugin libraries it points into have been unloaded.
    static GVC_t* const context = gvContext();
    if (context == nullptr)
        return Status::error("Graphviz could not be initialised (gvContext)");

    // Restores the previous handler even if `body` throws (e.g. std::bad_alloc).
    struct HandlerScope {
        agusererrf previous = agseterrf(&collectMessage);
        HandlerScope() {
            collected().clear();
            agreseterrors();
        }
        ~HandlerScope() {
            agseterrf(previous);
            collected().clear();
        }
    } scope;
#ifdef ATTRSCOPE_HAVE_USELOCALE
    // Graphviz parses and prints numbers with the C library, so under a comma locale (which a
    // Qt application may have set) "1.5" would read as 1. Use "C" numerics on this thread only.
    struct NumericLocaleScope {
        // Other categories (LC_CTYPE for UTF-8 text) stay as they are.
        locale_t base = duplocale(uselocale(static_cast<locale_t>(nullptr)));
        locale_t c = base != nullptr ? newlocale(LC_NUMERIC_MASK, "C", base) : nullptr;
        locale_t previous = c != nullptr ? uselocale(c) : nullptr;
        ~NumericLocaleScope() {
            if (c == nullptr) {
                if (base != nullptr)
                    freelocale(base);  // newlocale failed: base is still ours
                return;
            }
            uselocale(previous);
            freelocale(c);
        }
    } numeric;
#endif
    Session session(context);
    return body(session);
}

}  // namespace attrscope
