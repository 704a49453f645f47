#!/usr/bin/env python3
"""Time from launching the desk in tmux to its first frame on screen.  usage: first_frame.py BIN DATA_DIR"""
import subprocess, time, sys
B, D = sys.argv[1], sys.argv[2]
res=[]
for i in range(5):
    subprocess.run(["tmux","-L","t3","kill-server"],capture_output=True)
    subprocess.run(["tmux","-L","t3","new-session","-d","-s","d","-x","120","-y","40","sleep 100"])
    time.sleep(0.3)
    t0=time.time()
    subprocess.run(["tmux","-L","t3","respawn-pane","-k","-t","d",f"{B} --data-dir {D} --lang en"])
    while True:
        out=subprocess.run(["tmux","-L","t3","capture-pane","-p","-t","d"],capture_output=True,text=True).stdout
        if "Incident queue (" in out: break
        if time.time()-t0>10: break
        time.sleep(0.003)
    res.append(1000*(time.time()-t0))
    subprocess.run(["tmux","-L","t3","send-keys","-t","d","q"]); time.sleep(0.4)
subprocess.run(["tmux","-L","t3","kill-server"],capture_output=True)
print("first frame on screen (ms, 5 launches via tmux):", " ".join(f"{x:.0f}" for x in res))
