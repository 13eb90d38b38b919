#pragma once
// The planted-interaction task: a sentence pair whose label is decided by one known token pair
// across the segments. A gives one object a colour and another a size (the distractor), in either
// order; B asks whether the coloured object has some colour:
//   A: "the ball is red and the cup is big ."   B: "is the ball red ?"    → yes
//   A: "the cup is old and the box is blue ."   B: "is the box green ?"  → no
// The planted pair is (the colour word in A, the colour word in B); nothing else decides the label.
// Deterministic for a seed (std::mt19937_64 with explicit integer arithmetic, no
// std::distribution whose output differs between standard libraries).

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "attrscope/dataset.h"

namespace planted {

struct PlantedExample {
    attrscope::Example example;
    std::string colourA;  // the asked object's colour in A
    std::string colourB;  // the colour asked in B
    int occurrenceA = 0;  // which colour word of A is the planted one (always the only one)
};

inline std::vector<PlantedExample> generate(int count, uint64_t seed) {
    static const std::vector<std::string> objects = {"ball", "cup", "box", "hat",
                                                     "car", "pen", "book", "bag"};
    static const std::vector<std::string> colours = {"red",   "blue",  "green",
                                                     "black", "white", "pink"};
    static const std::vector<std::string> sizes = {"big", "small", "old", "new", "long", "flat"};
    std::mt19937_64 rng(seed);
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    std::vector<PlantedExample> out;
    for (int k = 0; k < count; ++k) {
        const size_t o1 = pick(objects.size());
        size_t o2 = pick(objects.size() - 1);
        if (o2 >= o1) ++o2;
        const size_t colour = pick(colours.size()), size = pick(sizes.size());
        const bool colourFirst = pick(2) == 0;
        const bool yes = k % 2 == 0;  // balanced labels
        size_t asked = colour;
        if (!yes) {
            asked = pick(colours.size() - 1);
            if (asked >= colour) ++asked;
        }
        const std::string coloured = "the " + objects[o1] + " is " + colours[colour];
        const std::string sized = "the " + objects[o2] + " is " + sizes[size];
        PlantedExample p;
        p.example.textA = (colourFirst ? coloured + " and " + sized : sized + " and " + coloured) +
                          " .";
        p.example.textB = "is the " + objects[o1] + " " + colours[asked] + " ?";
        p.example.label = yes ? "yes" : "no";
        p.example.row = k + 1;
        p.example.id = std::to_string(k);
        p.colourA = colours[colour];
        p.colourB = colours[asked];
        p.occurrenceA = 0;
        out.push_back(std::move(p));
    }
    return out;
}

inline attrscope::Dataset toDataset(const std::vector<PlantedExample>& examples) {
    attrscope::Dataset d;
    d.path = "planted";
    d.format = "glue-pair";
    d.labelNames = {"no", "yes"};
    for (const auto& p : examples) d.examples.push_back(p.example);
    return d;
}

}  // namespace planted
