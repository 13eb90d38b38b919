#pragma once
// The one door to Graphviz. libgvc/libcgraph keep global state (error handlers, the plugin
// registry, cgraph's dictionaries) and are not thread-safe, so every gvc/cgraph call in the
// program goes through GraphvizContext::run, under one process-wide mutex, with one lazily
// created GVC_t that lives until the process exits.

#include <functional>
#include <string>

#include <graphviz/gvc.h>

#include "attrscope/status.h"

namespace attrscope {

class GraphvizContext {
public:
    // What a run() body may use; it exists only while the lock is held.
    class Session {
    public:
        GVC_t* gvc() const { return gvc_; }
        // DOT text → graph (free it with agclose before the body returns); nullptr on a syntax
        // error, explained by messages().
        Agraph_t* parse(const std::string& dot) const;
        // Graphviz's error and warning text raised so far in this run, trimmed.
        std::string messages() const;

    private:
        friend class GraphvizContext;
        explicit Session(GVC_t* gvc) : gvc_(gvc) {}
        GVC_t* gvc_;
    };

    // Runs `body` while holding the lock. Graphviz messages raised meanwhile are collected
    // instead of being printed to stderr. Fails without calling `body` if Graphviz cannot start.
    static Status run(const std::function<Status(Session&)>& body);

    GraphvizContext() = delete;
};

}  // namespace attrscope
