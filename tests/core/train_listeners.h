#pragma once
// Training listeners the trainer tests share.

#include "attrscope/train/trainer.h"

namespace attrscope::test {

// Cancels the run once it reaches `step` (an interruption for the resume tests).
class CancelAtStep : public TrainListener {
public:
    CancelAtStep(CancelToken& token, int64_t step) : token_(token), step_(step) {}
    void onStep(const TrainProgress& p) override {
        if (p.step >= step_)
            token_.cancel();
    }

private:
    CancelToken& token_;
    int64_t step_;
};

}  // namespace attrscope::test
