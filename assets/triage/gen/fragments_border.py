"""Borderline fragments: reports whose words belong to two categories, written into the category
the IOC routes them to, and non-actionable messages (`invalid`) that use the words of real
categories (questions about procedures, thanks after a fix, general opinions, advertising for
repair services, tests). gen_corpus.py appends them to the core lists.
"""

BORDER = {
    "invalid": [
        "Cho hỏi {lịch cắt điện|lịch cúp điện} {tuần sau|tháng này} {của|ở} {phường $WARD|khu vực mình} {xem ở đâu|là khi nào}{?| ạ?}",
        "Cho hỏi giá nước sinh hoạt {năm nay|hiện nay} {là bao nhiêu|tính thế nào}{?| ạ}",
        "{Nhà tôi|Tôi} muốn {chặt|đốn} cây {trong vườn nhà|trong sân nhà mình} thì {có cần xin phép không|xin phép ở đâu}{?| ạ?}",
        "{Thủ tục|Hồ sơ} {xin|đăng ký} {lắp đặt nước máy|lắp công tơ điện|đấu nối điện} {mới|} {cần những gì|làm ở đâu}{?|}",
        "{Làm sao|Làm thế nào} để đăng ký {thu gom rác|dịch vụ thu gom rác} {cho hộ kinh doanh|hằng tháng}{?|}",
        "{Cho hỏi|Hỏi} {khi nào|bao giờ} đường $STREET {được mở rộng|được nâng cấp theo quy hoạch|được giải tỏa}{?|}",
        "{Cảm ơn|Cám ơn} {phường|các anh|đơn vị} đã {sửa đèn đường|thu gom rác|thông cống|cắt tỉa cây|vá ổ gà} {rất nhanh|kịp thời|}{!|.| ạ.}",
        "{Đèn đường|Rác|Cống|Ổ gà} {ở|tại} $LOC {đã được|vừa được} {xử lý|khắc phục} {xong|rồi}, {cảm ơn|xin cảm ơn|cám ơn} {IOC|các anh chị|}.",
        "{Thành phố|Huế} nên {trồng thêm nhiều cây xanh|làm thêm công viên|có thêm xe buýt|mở thêm phố đi bộ} {cho đẹp|cho người dân|}.",
        "{Giao thông|Đường sá|Môi trường} {ở Huế|thành phố} {ngày càng|dạo này} {đông|tệ|kém} {quá|thật}{.|!|}",
        "{Nhận|Chuyên} {thông cống nghẹt|hút hầm cầu|sửa điện nước tại nhà|cắt tỉa cây xanh|lắp mạng internet|chống thấm} {giá rẻ|24/7|uy tín} {LH|liên hệ|gọi} 09{05|35|88|14}{111222|456789|999888}.",
        "{Bán|Cần bán} {cây cảnh|chậu cây|xe máy cũ|điện thoại} {giá rẻ|thanh lý} {liên hệ|ib|inbox} {em|mình}.",
        "{Lắp|Đăng ký} {mạng|internet} {FPT|Viettel|VNPT} {khuyến mãi|miễn phí lắp đặt} {tháng này|} {gọi|LH} 08{12345678|98765432}.",
        "{Test|Thử} {phản ánh|gửi} {đèn đường|rác|ổ gà|ngập} {thôi|thử|1 2 3}{, bỏ qua|}.",
        "{Nhà tôi|Mái nhà tôi} {bị dột|bị thấm|bị nứt tường} {nhờ|xin} {phường|IOC} {cử người sửa|hỗ trợ sửa}{.|}",
        "{Ở Đà Nẵng|Ngoài Quảng Trị|Ở Hà Nội} {đường|cống|rác} {cũng|} {ngập|bẩn|hư} {lắm|quá}, {Huế|mình} {nên học|phải cẩn thận}.",
        "{Hôm qua|Lần trước} {tôi|em} đã phản ánh {rồi|về việc này}, {gửi lại|gửi lần nữa} {cho chắc|thôi}{.|}",
        "{Xin hỏi|Cho hỏi} {phản ánh|hồ sơ} {về|} {đèn đường|rác thải|ngập úng|lấn chiếm} {của tôi|} {đến đâu rồi|đã xử lý chưa}{?|}",
        "{Con tôi|Cháu tôi} {không chịu học|nghiện game|hay cãi lời}, {xin|nhờ} {tư vấn|giúp đỡ}{.|}",
        "{Tôi|Em} {bị mất|đánh rơi} {ví|giấy tờ|chìa khóa} {ai nhặt được|ai thấy} {xin liên hệ|cho xin lại} {0905123456|số này}{.|}",
        "{Chỗ|Ở} {này|đây} {bẩn|xấu|tệ} {quá|thật}{, xử lý đi|!|.}",
        "{Có|Thấy có} {cái gì|gì đó} {lạ|kỳ} {ở|tại} {đây|chỗ này}, {mn|mọi người} {xem giúp|biết không}{?|}",
        "{Mong|Đề nghị} {thành phố|các cấp} {quan tâm hơn|đầu tư hơn} {đến hạ tầng|đến môi trường|đến giao thông} {nói chung|}.",
        "{Xin|Cho} hỏi {thủ tục|quy định} {treo biển quảng cáo|mở quán cà phê|kinh doanh karaoke|mở phòng khám} {cần giấy phép gì|ở đâu}{?|}",
        "{Cho hỏi|Hỏi} {giá vé|giờ mở cửa} {Đại Nội|lăng Tự Đức|bảo tàng} {là bao nhiêu|mấy giờ}{?| ạ}",
        "{Bao giờ|Khi nào} {tiêm|có} {vắc xin|mũi tiêm} {cho trẻ|cúm} {ở trạm y tế|} {vậy|ạ}{?|}",
    ],
    "urban_order": [
        "{Hàng rong|Người bán hàng rong|Xe bán trái cây} {bày bán|chiếm} {lối đi|vỉa hè} {trước cổng|gần} {Đại Nội|Ngọ Môn|chợ Đông Ba|phố đi bộ} {gây mất trật tự|người đi bộ không có chỗ đi}.",
        "{Xe tải|Xe ben} {chở|chở đất} {cát|đất|vật liệu} {không che chắn|không có bạt} {làm rơi vãi|rơi vãi} {đầy đường|xuống mặt đường}.",
        "{Quán|Cửa hàng} {lắp|treo} {biển|bảng} {đèn LED|hộp đèn quảng cáo} {chiếm|ra} {vỉa hè|lòng đường} {chói mắt|trái phép}.",
        "{Tiếng ồn|Tiếng máy khoan|Tiếng đổ bê tông} {từ|của} công trình {xây dựng|} {kéo dài|làm} {đến khuya|sau 22h|từ 5h sáng} {ảnh hưởng|làm phiền} {người dân|khu dân cư}.",
        "{Chiếm|Lấn} {vỉa hè|lòng đường} {làm|để làm} {bãi giữ xe|chỗ để xe|nơi sửa xe} {gần|quanh} {bệnh viện|trường học|chợ} {thu tiền|}.",
        "{Hộ dân|Nhà} {xây|làm} {bậc tam cấp|dốc dắt xe|bồn hoa} {lấn|ra} {vỉa hè|lòng đường} {gây vấp ngã|cản trở}.",
    ],
    "public_security": [
        "{Đoạn đường|Khu vực|Kiệt} {vắng|vắng vẻ} {thường xuyên|hay} {xảy ra|có} {cướp giật|trộm cắp|đối tượng chặn đường}, {người dân sợ|đề nghị tăng cường tuần tra}.",
        "{Có|Một số} {người|đối tượng} {gọi điện|nhắn tin} {giả danh|mạo danh} {công an|nhân viên điện lực|cán bộ} {để lừa đảo|đòi chuyển tiền}.",
        "{Tài xế|Người lái xe|Xe máy} {vi phạm|gây tai nạn} {rồi|} {bỏ chạy|bỏ trốn} {tại|ở} {ngã tư|đoạn đường} {này|}.",
        "{Quán|Nhà hàng} {nhậu|bia} {mở|hoạt động} {quá giờ|thâu đêm} {khách|dân nhậu} {la hét|cãi nhau|gây gổ} {inh ỏi|}.",
        "{Xe|Xe tải|Xe container} {chạy|phóng} {bạt mạng|ẩu} {trên đường|qua} {đèo|cầu|quốc lộ 1A|đường tránh}, {suýt gây tai nạn|đã gây tai nạn}.",
    ],
    "roads": [
        "{Nắp đan|Tấm đan} {rãnh|mương} {trên vỉa hè|trên lòng đường} {bị vỡ|bị gãy|mất} {tạo thành hố|để lại hố sâu} {người đi bộ dễ sụp chân|rất nguy hiểm}.",
        "{Đèn tín hiệu|Đèn giao thông} {tại|ở} {nút giao|ngã tư|ngã năm} {thời gian|đếm ngược} {bị lỗi|quá ngắn|không hợp lý} {gây ùn tắc|}.",
        "{Cống|Cống thoát nước} {ngang đường|qua đường} {bị sụp|bị vỡ} {làm|tạo} {hố|ổ gà} {giữa mặt đường|lớn}, {xe cộ đi qua nguy hiểm|}.",
    ],
    "drainage": [
        "{Rác|Rác thải} {làm|khiến} {tắc|nghẹt} {cống|miệng cống|hố ga}, {mưa là|mỗi khi mưa} {ngập|nước không thoát được}.",
        "{Nước|Nước ngập} {do|vì} {cống|mương} {bị tắc|bị lấp} {tràn lên|làm hư} {mặt đường|vỉa hè} {xe đi qua bắn tung tóe|}.",
    ],
    "waste": [
        "{Rác|Rác thải} {đổ|vứt} {xuống|vào} {mương|kênh|sông} {làm ô nhiễm|bốc mùi} {nguồn nước|dòng sông}, {đề nghị xử lý người xả rác|}.",
        "{Bụi|Đất cát|Bùn} {từ|sau} {đợt lũ|mưa lũ|cơn bão} {phủ|bám} {đầy|dày} {đường|kiệt}, {chưa được dọn rửa|công nhân chưa đến dọn}.",
    ],
    "health": [
        "{Nước đọng|Ao tù|Vũng nước} {sinh|đầy} {lăng quăng|bọ gậy|muỗi} {trong khu dân cư|}, {đã có|có} {người|trẻ em} {bị sốt xuất huyết|mắc sốt xuất huyết}, đề nghị {phun thuốc|diệt lăng quăng}.",
        "{Cơ sở|Lò} {giết mổ|chế biến thực phẩm} {mất vệ sinh|xả thải} {không đảm bảo|bẩn thỉu} {thịt|thực phẩm} {bán ra thị trường|bán cho các quán}.",
        "{Chuột|Gián} {bò|chạy} {khắp|trong} {bếp|quầy} {của|ở} {nhà hàng|quán ăn|tiệm bánh}, {thức ăn|đồ ăn} {không đảm bảo|rất mất vệ sinh}.",
    ],
    "heritage_tourism": [
        "{Cây|Cây cổ thụ|Cành cây} {trong|ở} {khuôn viên|} {Đại Nội|lăng Tự Đức|lăng Minh Mạng|Hoàng thành} {đổ|gãy} {đè|trúng} {mái|tường} {di tích|điện|miếu}.",
        "{Khách|Du khách} {đến|tham quan} {Đại Nội|lăng|chùa Thiên Mụ} {bị|than phiền bị} {người bán hàng rong|trẻ em bán hàng} {đeo bám|níu áo} {mua hàng|}.",
        "{Công trình|Nhà} {xây dựng|} {trong vùng bảo vệ di tích|sát tường thành|trên hộ thành hào} {làm mất cảnh quan|xâm phạm} {di tích|Kinh thành}.",
    ],
    "trees_parks": [
        "{Cây|Cây xanh|Cành cây} {gãy|đổ} {đè|trúng} {dây điện|đường dây|cột điện} {sau mưa|}, {cần|đề nghị} {cưa cây|dọn cây} {gấp|}.",
        "{Cây|Tán cây} {phủ|che} {kín|hết} {đèn đường|đèn chiếu sáng} {làm|khiến} {đường tối|kiệt tối}, đề nghị {tỉa cành|cắt tỉa}.",
    ],
    "street_lighting": [
        "{Đèn|Đèn chiếu sáng} {công viên|trong công viên|ở vườn hoa} {không sáng|hư hết} {buổi tối|} {tối om|người tập thể dục không thấy đường}.",
    ],
    "power_telecom": [
        "{Dây điện|Dây cáp} {vướng|chạm|đi xuyên} {vào|qua} {tán cây|cây} {mưa gió|khi mưa} {tóe lửa|chập điện|nguy hiểm}, đề nghị điện lực {xử lý|kiểm tra}.",
        "{Cột điện|Trụ điện} {trồng|dựng} {giữa|trên} {vỉa hè|lối đi} {cản trở|gây nguy hiểm}, {đề nghị di dời|}.",
    ],
    "water_supply": [
        "{Ống nước|Ống cấp nước} {bị vỡ|rò rỉ} {làm|khiến} {nước|nước sạch} {tràn|chảy} {ra đường|lênh láng} {thành vũng|cả tuần}, {lãng phí|}.",
    ],
}

# A last widening of the categories most often confused with their neighbours.
BORDER["roads"] += [
    "{Đèn xanh đèn đỏ|Cột đèn tín hiệu|Trụ đèn giao thông} {ở|tại} {ngã tư|ngã ba|nút giao} {$STREET - $STREET|} {bị tắt|bị xe tông ngã|không hoạt động}, {xe cộ đi lộn xộn|dễ va chạm}.",
    "{Mặt đường|Lòng đường} {lõm|lún} {một hố to|thành vũng}, {tối qua|hôm qua} {có người|một chị} {đi xe máy|chở con} {bị ngã|sụp bánh}.",
    "{Đường|Đoạn đường} {mới làm|mới thảm} {chưa được bao lâu|vài tháng} đã {bong tróc|nứt nẻ|lún}, {chất lượng thi công kém|đề nghị kiểm tra}.",
    "{Cầu|Cầu sắt|Cầu dân sinh} {bắc qua|qua} {sông|kênh|hói} {bị hỏng|mục|lủng} {ván mặt cầu|lan can}, {người đi bộ|học sinh} {rất nguy hiểm|}.",
    "{Đường|Vỉa hè} {bị|đã bị} {đào bới|cày xới} {để thi công cống|để lắp cáp} {xong bỏ đó|đã lâu} {đất đá ngổn ngang|chưa hoàn trả mặt bằng}.",
]
BORDER["trees_parks"] += [
    "{Cây|Cây dầu|Cây sưa|Cây lim xẹt} {trước|cạnh} {trường|nhà văn hóa|chợ} {gãy|gãy một nhánh lớn|rớt cành} {nằm|rơi} {giữa đường|xuống vỉa hè}, {may không ai bị thương|}.",
    "{Công viên|Vườn hoa|Khu cây xanh} {bên bờ sông|ven hồ|trong khu dân cư} {cỏ|cỏ dại} {mọc cao|lút đầu gối}, {ghế|ghế đá} {vỡ|gãy}, {không ai chăm sóc|}.",
    "{Xin|Đề nghị} {cắt tỉa|hạ bớt} {cành|tán} {mấy cây|hàng cây} {bàng|xà cừ|phượng} {vì|do} {cành|tán} {đã chạm mái nhà|vươn qua đường dây|quá rậm}.",
    "{Cây|Cây xanh} {trên vỉa hè|ven đường} {bị|đã bị} {người dân|chủ quán} {chặt ngọn|cưa cành|đổ hóa chất} {để|cho} {thông thoáng biển hiệu|làm quán}.",
]
BORDER["urban_order"] += [
    "{Quán cơm|Quán bún|Quán cà phê|Tiệm trà sữa} {bày|kê} {bàn ghế|bàn nhựa} {kín|hết} {vỉa hè|lối đi}, người đi bộ phải {đi xuống đường|đi dưới lòng đường}.",
    "{Nhà|Hộ} {số $NUM|đầu kiệt} {đang|} {xây thêm tầng|đổ mái|xây lấn} {mà|} {không có giấy phép|không phép|vượt phép}.",
    "{Ô tô|Xe hơi} {đậu|đỗ} {kín|dày đặc} {hai bên|cả} {đường|kiệt}, {xe cứu hỏa|xe rác|xe cấp cứu} {không vào được|khó đi qua}.",
    "{Người bán|Tiểu thương} {rau cá|đồ ăn sáng|hoa quả} {chiếm|bày} {luôn|} {lòng đường|vỉa hè} {trước|cạnh} {chợ|trường|cổng bệnh viện} {mỗi sáng|hằng ngày}.",
]
BORDER["power_telecom"] += [
    "{Cáp mạng|Dây cáp|Bó cáp} {của|} {nhà mạng|các nhà mạng} {rũ|võng|treo} {xuống|thấp} {ngang đầu người|sát mặt vỉa hè|vắt qua ngõ}.",
    "{Đồng hồ điện|Công tơ điện|Hộp công tơ} {trên|ở} {cột|tường} {bốc khói|có mùi khét|phát tiếng nổ} {rất nguy hiểm|}.",
]
BORDER["street_lighting"] += [
    "{Hai|Ba|Mấy} {cột đèn|bóng đèn} {đầu|cuối|giữa} {kiệt|đường} {tắt|không sáng} {từ tuần trước|mấy hôm nay}, {tối|buổi tối} {đi về|ra đường} {sợ lắm|rất bất an}.",
    "{Bóng đèn|Đèn} {cao áp|đường} {ở|trên} {cột|trụ} {gần|cạnh} {ngã ba|ngã tư|cầu} {chớp tắt|nhấp nháy} {liên tục|cả đêm}.",
]
BORDER["heritage_tourism"] += [
    "{Bờ thành|Tường thành|Thành quách} {gần|ở} {cửa Đông Ba|cửa Hữu|cửa Thượng Tứ|cửa Chánh Tây} {có cây mọc|rêu phủ|bị sạt một mảng|bị xâm hại}, {cần|đề nghị} {trùng tu|bảo vệ}.",
]
BORDER["health"] += [
    "{Phòng khám|Phòng nha|Cơ sở xét nghiệm} {trên|ở} đường $STREET {không có giấy phép|hành nghề trái phép|không có chứng chỉ hành nghề} {nhưng|mà} {vẫn khám chữa bệnh|vẫn hoạt động}.",
]
